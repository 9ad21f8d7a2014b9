package dev.agentyard.tools.corpus;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Templates of the documents a loan application brings, several layouts per kind, filled with
 * {@link Fakes}. Each returns the document as lines of text; {@link Noise} then degrades them the
 * way scans, OCR and copy-paste do.
 */
final class Templates {

  /** One template: its label and how to write it. */
  record Template(String label, String name, Function<Fakes, List<String>> write) {}

  static final List<Template> ALL =
      List.of(
          new Template("income", "w2", Templates::w2),
          new Template("income", "1099", Templates::form1099),
          new Template("income", "1040", Templates::form1040),
          new Template("income", "paystub-table", Templates::payStubTable),
          new Template("income", "paystub-compact", Templates::payStubCompact),
          new Template("income", "employment-letter", Templates::employmentLetter),
          new Template("income", "benefit-award-letter", Templates::benefitAwardLetter),
          new Template("income", "profit-and-loss", Templates::profitAndLoss),
          new Template("banking", "checking-statement", Templates::checkingStatement),
          new Template("banking", "savings-statement", Templates::savingsStatement),
          new Template("banking", "credit-union-statement", Templates::creditUnionStatement),
          new Template("banking", "verification-of-deposit", Templates::verificationOfDeposit),
          new Template("banking", "retirement-statement", Templates::retirementStatement),
          new Template("identity", "passport", Templates::passport),
          new Template("identity", "drivers-licence", Templates::driversLicence),
          new Template("identity", "national-id", Templates::nationalId),
          new Template("identity", "state-id", Templates::stateId),
          new Template("property", "appraisal", Templates::appraisal),
          new Template("property", "title-commitment", Templates::titleCommitment),
          new Template("property", "deed", Templates::deed),
          new Template("property", "purchase-agreement", Templates::purchaseAgreement),
          new Template("property", "homeowners-insurance", Templates::homeownersInsurance),
          new Template("property", "property-tax-bill", Templates::propertyTaxBill),
          new Template("other", "utility-bill", Templates::utilityBill),
          new Template("other", "medical-bill", Templates::medicalBill),
          new Template("other", "letter-of-explanation", Templates::letterOfExplanation),
          new Template("other", "phone-bill", Templates::phoneBill),
          new Template("other", "newsletter", Templates::newsletter),
          new Template("other", "credit-card-offer", Templates::creditCardOffer),
          new Template("other", "car-insurance-card", Templates::carInsuranceCard));

  private Templates() {}

  // ---------------------------------------------------------------- income

  static List<String> w2(Fakes f) {
    int year = f.between(2021, 2025);
    double wages = f.amount(28_000, 240_000);
    String name = f.fullName();
    List<String> l = new ArrayList<>();
    l.add(
        f.chance(0.5)
            ? "Form W-2 Wage and Tax Statement " + year
            : "W-2 " + year + "  Wage and Tax Statement");
    l.add("Department of the Treasury - Internal Revenue Service");
    l.add(
        f.pick(
            List.of(
                "Copy B-To Be Filed With Employee's FEDERAL Tax Return",
                "Copy C-For EMPLOYEE'S RECORDS",
                "Copy 2-To Be Filed With Employee's State, City, or Local Income Tax Return")));
    l.add("a Employee's social security number  " + f.ssnMasked());
    l.add("b Employer identification number (EIN)  " + f.ein());
    l.add("c Employer's name, address, and ZIP code");
    l.add("  " + f.employer());
    l.add("  " + f.street() + ", " + f.cityLine());
    l.add("e Employee's first name and initial   Last name   " + name);
    l.add("f Employee's address and ZIP code  " + f.street() + " " + f.cityLine());
    List<String> boxes =
        new ArrayList<>(
            List.of(
                "1 Wages, tips, other compensation  " + Fakes.money(wages),
                "2 Federal income tax withheld  "
                    + Fakes.money(wages * (0.08 + f.rnd().nextDouble() * 0.12)),
                "3 Social security wages  " + Fakes.money(Math.min(wages, 168_600)),
                "4 Social security tax withheld  " + Fakes.money(Math.min(wages, 168_600) * 0.062),
                "5 Medicare wages and tips  " + Fakes.money(wages),
                "6 Medicare tax withheld  " + Fakes.money(wages * 0.0145)));
    if (f.chance(0.5)) {
      boxes.add("12a D  " + Fakes.money(wages * 0.05));
    }
    if (f.chance(0.3)) {
      Collections.shuffle(boxes, f.rnd());
    }
    l.addAll(boxes);
    l.add("15 State " + f.city()[1] + "  Employer's state ID number " + f.digits(8));
    l.add(
        "16 State wages, tips, etc.  "
            + Fakes.money(wages)
            + "   17 State income tax  "
            + Fakes.money(wages * 0.04));
    return l;
  }

  static List<String> form1099(Fakes f) {
    int year = f.between(2021, 2025);
    String kind = f.pick(List.of("NEC", "INT", "MISC", "DIV"));
    List<String> l = new ArrayList<>();
    l.add("Form 1099-" + kind + "  " + year);
    l.add(
        switch (kind) {
          case "NEC" -> "Nonemployee Compensation";
          case "INT" -> "Interest Income";
          case "DIV" -> "Dividends and Distributions";
          default -> "Miscellaneous Information";
        });
    l.add("PAYER'S name, street address, city or town, state or province, country, ZIP");
    l.add("  " + (kind.equals("INT") || kind.equals("DIV") ? f.bank() : f.employer()));
    l.add("  " + f.street() + ", " + f.cityLine());
    l.add("PAYER'S TIN  " + f.ein() + "     RECIPIENT'S TIN  " + f.ssnMasked());
    l.add("RECIPIENT'S name  " + f.fullName());
    l.add("Street address (including apt. no.)  " + f.street());
    l.add(
        "City or town, state or province, country, and ZIP or foreign postal code  "
            + f.cityLine());
    switch (kind) {
      case "NEC" -> l.add("1 Nonemployee compensation  $" + f.money(2_000, 95_000));
      case "INT" -> {
        l.add("1 Interest income  $" + f.money(20, 9_000));
        l.add("3 Interest on U.S. Savings Bonds and Treasury obligations  $" + f.money(0, 500));
      }
      case "DIV" -> {
        l.add("1a Total ordinary dividends  $" + f.money(50, 12_000));
        l.add("1b Qualified dividends  $" + f.money(20, 8_000));
      }
      default -> {
        l.add("1 Rents  $" + f.money(0, 24_000));
        l.add("3 Other income  $" + f.money(100, 15_000));
      }
    }
    l.add("4 Federal income tax withheld  $" + f.money(0, 2_000));
    l.add(
        "Copy B For Recipient. This is important tax information and is being furnished to the IRS.");
    return l;
  }

  static List<String> form1040(Fakes f) {
    int year = f.between(2021, 2025);
    double wages = f.amount(30_000, 260_000);
    double agi = wages + f.amount(0, 15_000);
    double deduction = f.chance(0.5) ? 14_600 : 29_200;
    List<String> l = new ArrayList<>();
    l.add("Form 1040  U.S. Individual Income Tax Return  " + year);
    l.add("Department of the Treasury-Internal Revenue Service  OMB No. 1545-0074");
    l.add(
        "Filing Status  "
            + f.pick(
                List.of(
                    "Single",
                    "Married filing jointly",
                    "Married filing separately",
                    "Head of household")));
    l.add(
        "Your first name and middle initial  Last name  "
            + f.fullName()
            + "   Your social security number "
            + f.ssnMasked());
    l.add("Home address (number and street)  " + f.street() + "  " + f.cityLine());
    l.add(
        "Digital Assets  At any time during "
            + year
            + ", did you receive, sell, exchange digital assets?  No");
    l.add("1a Total amount from Form(s) W-2, box 1  " + Fakes.money(wages));
    l.add("2b Taxable interest  " + f.money(0, 3_000));
    l.add("3b Ordinary dividends  " + f.money(0, 5_000));
    l.add("9 This is your total income  " + Fakes.money(agi));
    l.add(
        "11 Subtract line 10 from line 9. This is your adjusted gross income  " + Fakes.money(agi));
    l.add(
        "12 Standard deduction or itemized deductions (from Schedule A)  "
            + Fakes.money(deduction));
    l.add("15 Taxable income  " + Fakes.money(Math.max(0, agi - deduction)));
    l.add("24 This is your total tax  " + Fakes.money(Math.max(0, agi - deduction) * 0.14));
    l.add("25a Federal income tax withheld from Form(s) W-2  " + Fakes.money(agi * 0.15));
    if (f.chance(0.6)) {
      l.add("34 This is the amount you overpaid  " + f.money(100, 6_000));
      l.add(
          "35a Amount of line 34 you want refunded to you  Routing number "
              + f.digits(9)
              + "  Type: Checking");
    } else {
      l.add("37 Subtract line 33 from line 24. This is the amount you owe  " + f.money(100, 9_000));
    }
    l.add(
        "Sign Here  Under penalties of perjury, I declare that I have examined this return and accompanying schedules");
    l.add(
        "Your occupation  "
            + f.pick(
                List.of(
                    "Nurse",
                    "Engineer",
                    "Teacher",
                    "Sales Manager",
                    "Electrician",
                    "Accountant",
                    "Software Developer",
                    "Truck Driver")));
    return l;
  }

  static List<String> payStubTable(Fakes f) {
    LocalDate end = f.date(2024, 2026);
    double rate = f.amount(18, 95);
    double hours = f.chance(0.7) ? 80 : f.amount(60, 88);
    double gross = rate * hours;
    double ytdFactor = f.between(2, 24);
    List<String> l = new ArrayList<>();
    l.add(f.employer());
    l.add(f.street() + "  " + f.cityLine());
    l.add(
        f.pick(
            List.of(
                "EARNINGS STATEMENT",
                "Earnings Statement",
                "PAY STUB",
                "Statement of Earnings and Deductions")));
    l.add(
        "Employee: "
            + f.fullName()
            + "    Employee ID: "
            + f.digits(6)
            + "    Dept: "
            + f.between(100, 900));
    l.add(
        "Pay Period: "
            + f.usDate(end.minusDays(13))
            + " - "
            + f.usDate(end)
            + "    Pay Date: "
            + f.usDate(end.plusDays(5)));
    l.add("EARNINGS            RATE      HOURS     CURRENT        YTD");
    l.add(
        String.format(
            Locale.US,
            "Regular             %.2f     %.2f     %s     %s",
            rate,
            hours,
            Fakes.money(gross),
            Fakes.money(gross * ytdFactor)));
    if (f.chance(0.5)) {
      double ot = f.amount(2, 12);
      l.add(
          String.format(
              Locale.US,
              "Overtime            %.2f     %.2f     %s     %s",
              rate * 1.5,
              ot,
              Fakes.money(rate * 1.5 * ot),
              Fakes.money(rate * 1.5 * ot * 3)));
    }
    l.add(
        "Gross Pay                                 "
            + Fakes.money(gross)
            + "     "
            + Fakes.money(gross * ytdFactor));
    l.add("DEDUCTIONS                                CURRENT        YTD");
    l.add(
        "Federal Income Tax                        "
            + Fakes.money(gross * 0.11)
            + "     "
            + Fakes.money(gross * 0.11 * ytdFactor));
    l.add("Social Security                           " + Fakes.money(gross * 0.062));
    l.add("Medicare                                  " + Fakes.money(gross * 0.0145));
    l.add("State Income Tax                          " + Fakes.money(gross * 0.04));
    if (f.chance(0.6)) {
      l.add("401(k)                                    " + Fakes.money(gross * 0.05));
    }
    if (f.chance(0.5)) {
      l.add("Medical/Dental                            " + f.money(40, 260));
    }
    l.add("Net Pay                                   " + Fakes.money(gross * 0.7));
    if (f.chance(0.5)) {
      l.add("Direct Deposit  Checking ****" + f.digits(4) + "  " + Fakes.money(gross * 0.7));
    }
    return l;
  }

  static List<String> payStubCompact(Fakes f) {
    LocalDate end = f.date(2024, 2026);
    double salary = f.amount(35_000, 220_000);
    double gross = salary / (f.chance(0.5) ? 26 : 24);
    List<String> l = new ArrayList<>();
    l.add(f.employer() + " - Payroll");
    l.add("Advice of Deposit    Check Date " + f.anyDate(end) + "    Advice No. " + f.digits(7));
    l.add("Pay to: " + f.fullName() + "  SSN " + f.ssnMasked());
    l.add("Period Beginning " + f.usDate(end.minusDays(14)) + "  Period Ending " + f.usDate(end));
    l.add("Salary " + Fakes.money(gross) + "  YTD Gross " + Fakes.money(gross * f.between(2, 24)));
    l.add(
        "Taxes: FED WH "
            + Fakes.money(gross * 0.12)
            + "  SOC SEC "
            + Fakes.money(gross * 0.062)
            + "  MED "
            + Fakes.money(gross * 0.0145)
            + "  ST "
            + Fakes.money(gross * 0.035));
    l.add("Pre-tax: 401K " + Fakes.money(gross * 0.06) + "  HSA " + f.money(20, 150));
    l.add("Net Pay " + Fakes.money(gross * 0.68) + "    Annual salary " + Fakes.money(salary));
    l.add(
        "Federal Filing Status: "
            + f.pick(List.of("Single", "Married", "Head of Household"))
            + "  Allowances: "
            + f.between(0, 4));
    l.add("This is not a check. Non-negotiable.");
    return l;
  }

  static List<String> employmentLetter(Fakes f) {
    String name = f.fullName();
    String employer = f.employer();
    LocalDate since = f.date(2008, 2024);
    List<String> l = new ArrayList<>();
    l.add(employer);
    l.add(f.street() + ", " + f.cityLine());
    l.add(f.longDate(f.date(2025, 2026)));
    l.add(
        f.pick(
            List.of(
                "RE: Verification of Employment",
                "Employment Verification Letter",
                "To Whom It May Concern:")));
    l.add(
        "This letter confirms that "
            + name
            + " has been employed by "
            + employer
            + " since "
            + f.longDate(since)
            + " as a "
            + f.pick(List.of("full-time", "permanent full-time", "salaried"))
            + " "
            + f.pick(
                List.of(
                    "Project Manager",
                    "Registered Nurse",
                    "Warehouse Supervisor",
                    "Senior Analyst",
                    "Teacher",
                    "Mechanical Engineer"))
            + ".");
    l.add(
        f.pick(
                List.of(
                    "Current annual base salary: $",
                    "The employee's base compensation is $",
                    "Annual gross income: $"))
            + f.money(40_000, 210_000)
            + (f.chance(0.5) ? " plus an annual bonus of up to " + f.between(5, 20) + "%." : "."));
    l.add(
        "Employment status: active. "
            + (f.chance(0.5) ? "Probability of continued employment is good." : ""));
    l.add(
        "Please contact Human Resources at ("
            + f.digits(3)
            + ") "
            + f.digits(3)
            + "-"
            + f.digits(4)
            + " with any questions regarding this verification.");
    l.add("Sincerely,");
    l.add(
        f.fullName()
            + ", "
            + f.pick(
                List.of("HR Manager", "Payroll Administrator", "Director of Human Resources")));
    return l;
  }

  // ---------------------------------------------------------------- banking

  private static void transactions(
      Fakes f, List<String> l, LocalDate start, double[] balance, int n, boolean payroll) {
    for (int i = 0; i < n; i++) {
      LocalDate d = start.plusDays(f.between(0, 29));
      boolean credit = f.chance(payroll ? 0.22 : 0.15);
      double amt = credit ? f.amount(200, 5_500) : f.amount(3, 1_800);
      balance[0] += credit ? amt : -amt;
      String what =
          credit
              ? (payroll && f.chance(0.6)
                  ? "PAYROLL DEPOSIT " + f.employer().toUpperCase(Locale.US)
                  : f.pick(
                      List.of(
                          "MOBILE DEPOSIT",
                          "TRANSFER FROM SAV",
                          "ZELLE FROM " + f.last().toUpperCase(Locale.US),
                          "INTEREST PAID",
                          "REFUND")))
              : f.pick(Fakes.MERCHANTS);
      l.add(
          String.format(
              Locale.US,
              "%02d/%02d  %-38s %12s %12s",
              d.getMonthValue(),
              d.getDayOfMonth(),
              what,
              (credit ? "" : "-") + Fakes.money(amt),
              Fakes.money(balance[0])));
    }
  }

  static List<String> checkingStatement(Fakes f) {
    LocalDate start = f.date(2024, 2026).withDayOfMonth(1);
    double[] bal = {f.amount(300, 25_000)};
    double begin = bal[0];
    List<String> l = new ArrayList<>();
    l.add(f.bank());
    l.add("P.O. Box " + f.between(100, 9999) + ", " + f.cityLine());
    l.add(f.fullName());
    l.add(f.street());
    l.add(f.cityLine());
    l.add(
        f.pick(List.of("Statement Period: ", "Statement period ", "For the period "))
            + f.usDate(start)
            + " to "
            + f.usDate(start.plusMonths(1).minusDays(1)));
    l.add(
        f.pick(List.of("Primary Checking", "Everyday Checking", "Premier Checking Account"))
            + "  Account Number: ****"
            + f.digits(4));
    l.add("ACCOUNT SUMMARY");
    l.add("Beginning Balance  $" + Fakes.money(begin));
    List<String> tx = new ArrayList<>();
    transactions(f, tx, start, bal, f.between(8, 28), true);
    l.add("Deposits and Other Credits  $" + f.money(1_000, 12_000));
    l.add("Withdrawals and Other Debits  $" + f.money(500, 11_000));
    l.add("Ending Balance  $" + Fakes.money(bal[0]));
    l.add("TRANSACTION DETAIL");
    l.add("Date   Description                               Amount      Balance");
    l.addAll(tx);
    if (f.chance(0.5)) {
      l.add("DAILY LEDGER BALANCES");
      l.add(
          f.usDate(start.plusDays(9))
              + "  "
              + f.money(100, 20_000)
              + "   "
              + f.usDate(start.plusDays(19))
              + "  "
              + f.money(100, 20_000));
    }
    l.add(
        f.pick(
            List.of(
                "Overdraft fees this period: $0.00",
                "Total for this period: Overdraft Fees $0.00 Returned Item Fees $0.00",
                "Member FDIC. Equal Housing Lender.")));
    return l;
  }

  static List<String> savingsStatement(Fakes f) {
    LocalDate start = f.date(2024, 2026).withDayOfMonth(1);
    double bal = f.amount(1_000, 150_000);
    List<String> l = new ArrayList<>();
    l.add(
        f.bank()
            + "  -  "
            + f.pick(
                List.of(
                    "Savings Account Statement", "High Yield Savings", "Money Market Account")));
    l.add("Account holder: " + f.fullName() + "   " + f.street() + ", " + f.cityLine());
    l.add(
        "Account no. XXXXXX"
            + f.digits(4)
            + "   Statement date "
            + f.usDate(start.plusMonths(1).minusDays(1)));
    l.add("Opening balance " + Fakes.money(bal));
    double interest = bal * f.amount(0.001, 0.004);
    l.add(
        "Interest earned this period "
            + Fakes.money(interest)
            + "   Annual Percentage Yield Earned "
            + f.amount(0.5, 4.8)
            + "%");
    l.add("Year-to-date interest " + Fakes.money(interest * f.between(1, 12)));
    double[] b = {bal};
    List<String> tx = new ArrayList<>();
    transactions(f, tx, start, b, f.between(2, 8), false);
    l.add("Activity");
    l.addAll(tx);
    l.add("Closing balance " + Fakes.money(b[0] + interest));
    l.add("Deposits are insured by the FDIC up to the maximum allowed by law.");
    return l;
  }

  static List<String> creditUnionStatement(Fakes f) {
    LocalDate start = f.date(2024, 2026).withDayOfMonth(1);
    double[] bal = {f.amount(200, 18_000)};
    List<String> l = new ArrayList<>();
    l.add(f.pick(Fakes.BANKS.stream().filter(b -> b.contains("Credit Union")).toList()));
    l.add("MEMBER STATEMENT   Member Number " + f.digits(7));
    l.add(f.fullName().toUpperCase(Locale.US));
    l.add(f.street().toUpperCase(Locale.US) + "  " + f.cityLine().toUpperCase(Locale.US));
    l.add(
        "Statement Period "
            + f.anyDate(start)
            + " thru "
            + f.anyDate(start.plusMonths(1).minusDays(1)));
    l.add(
        "SHARE SAVINGS  Previous Balance "
            + f.money(5, 5_000)
            + "  Dividends "
            + f.money(0, 40)
            + "  New Balance "
            + f.money(5, 5_000));
    l.add("SHARE DRAFT CHECKING  Previous Balance " + Fakes.money(bal[0]));
    List<String> tx = new ArrayList<>();
    transactions(f, tx, start, bal, f.between(6, 22), true);
    l.addAll(tx);
    l.add("New Balance " + Fakes.money(bal[0]) + "   Dividend Rate " + f.amount(0.05, 1.5) + "%");
    l.add("Federally insured by NCUA.");
    return l;
  }

  // ---------------------------------------------------------------- identity

  private static String mrzName(String last, String first) {
    String s =
        (last + "<<" + first).toUpperCase(Locale.ROOT).replaceAll("[^A-Z<]", "<").replace(' ', '<');
    return s;
  }

  private static String pad(String s, int n) {
    StringBuilder b = new StringBuilder(s.length() > n ? s.substring(0, n) : s);
    while (b.length() < n) {
      b.append('<');
    }
    return b.toString();
  }

  private static String yymmdd(LocalDate d) {
    return String.format(
        Locale.ROOT, "%02d%02d%02d", d.getYear() % 100, d.getMonthValue(), d.getDayOfMonth());
  }

  static List<String> passport(Fakes f) {
    String[] country = f.pick(Fakes.COUNTRIES).split("\\|");
    String first = f.first();
    String last = f.last();
    LocalDate dob = f.date(1950, 2004);
    LocalDate issue = f.date(2016, 2025);
    LocalDate expiry = issue.plusYears(10);
    String number = f.letters(1) + f.digits(8);
    char sex = f.chance(0.5) ? 'F' : 'M';
    List<String> l = new ArrayList<>();
    l.add(f.pick(List.of("PASSPORT", "PASSPORT / PASSEPORT", "PASSPORT  PASAPORTE")));
    l.add(country[1]);
    l.add("Type / Type  P    Code of Issuing State  " + country[0] + "    Passport No.  " + number);
    l.add("Surname / Nom  " + last.toUpperCase(Locale.ROOT));
    l.add("Given Names / Prénoms  " + first.toUpperCase(Locale.ROOT));
    l.add("Nationality / Nationalité  " + country[1]);
    l.add("Date of birth / Date de naissance  " + f.anyDate(dob) + "    Sex / Sexe  " + sex);
    l.add("Place of birth / Lieu de naissance  " + f.city()[0].toUpperCase(Locale.ROOT));
    l.add("Date of issue  " + f.anyDate(issue) + "    Date of expiration  " + f.anyDate(expiry));
    l.add(
        "Authority / Autorité  "
            + f.pick(
                List.of(
                    "United States Department of State",
                    "HM Passport Office",
                    "Passport Canada",
                    "Bundesrepublik Deutschland",
                    "Ministry of External Affairs")));
    if (f.chance(0.85)) {
      l.add(pad("P<" + country[0] + mrzName(last, first), 44));
      l.add(
          pad(number, 9)
              + f.digits(1)
              + country[0]
              + yymmdd(dob)
              + f.digits(1)
              + sex
              + yymmdd(expiry)
              + f.digits(1)
              + "<<<<<<<<<<<<<<"
              + f.digits(2));
    }
    return l;
  }

  static List<String> driversLicence(Fakes f) {
    String state = f.pick(Fakes.STATES);
    LocalDate dob = f.date(1950, 2006);
    LocalDate iss = f.date(2018, 2025);
    List<String> l = new ArrayList<>();
    l.add(
        state
            + " "
            + f.pick(
                List.of(
                    "DRIVER LICENSE", "DRIVER'S LICENSE", "USA DRIVER LICENSE", "Driver License")));
    l.add("DL " + f.letters(1) + f.digits(7) + "   CLASS " + f.pick(List.of("C", "D", "A", "B")));
    l.add("EXP " + f.usDate(iss.plusYears(f.between(4, 8))) + "   ISS " + f.usDate(iss));
    l.add("LN " + f.last().toUpperCase(Locale.ROOT));
    l.add("FN " + f.first().toUpperCase(Locale.ROOT));
    l.add(f.street().toUpperCase(Locale.ROOT));
    l.add(f.cityLine().toUpperCase(Locale.ROOT));
    l.add(
        "DOB "
            + f.usDate(dob)
            + "   SEX "
            + (f.chance(0.5) ? "F" : "M")
            + "   HGT "
            + f.between(4, 6)
            + "-"
            + String.format(Locale.ROOT, "%02d", f.between(0, 11))
            + "   WGT "
            + f.between(110, 260)
            + " lb");
    l.add(
        "EYES "
            + f.pick(List.of("BRO", "BLU", "GRN", "HAZ"))
            + "   HAIR "
            + f.pick(List.of("BRO", "BLK", "BLN", "GRY", "RED")));
    l.add(
        "RSTR "
            + f.pick(List.of("NONE", "CORR LENS", "B"))
            + "   END "
            + f.pick(List.of("NONE", "M", "P")));
    l.add("DD " + f.digits(10) + f.letters(2) + f.digits(4));
    if (f.chance(0.5)) {
      l.add(
          f.pick(
              List.of(
                  "ORGAN DONOR",
                  "VETERAN",
                  "REAL ID COMPLIANT",
                  "NOT FOR FEDERAL IDENTIFICATION")));
    }
    return l;
  }

  static List<String> nationalId(Fakes f) {
    String[] country = f.pick(Fakes.COUNTRIES).split("\\|");
    String first = f.first();
    String last = f.last();
    LocalDate dob = f.date(1950, 2006);
    LocalDate expiry = f.date(2026, 2035);
    String number = f.letters(3) + f.digits(6);
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(
            List.of(
                "IDENTITY CARD",
                "NATIONAL IDENTITY CARD",
                "CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD",
                "PERSONALAUSWEIS / IDENTITY CARD",
                "DOCUMENTO NACIONAL DE IDENTIDAD")));
    l.add(country[1]);
    l.add("Card No. / Document number  " + number);
    l.add(
        "Surname  "
            + last.toUpperCase(Locale.ROOT)
            + "    Given names  "
            + first.toUpperCase(Locale.ROOT));
    l.add("Date of birth  " + f.anyDate(dob) + "    Nationality  " + country[0]);
    l.add(
        "Date of expiry  "
            + f.anyDate(expiry)
            + "    Place of birth  "
            + f.city()[0].toUpperCase(Locale.ROOT));
    l.add("Signature of holder");
    if (f.chance(0.8)) {
      l.add(pad("I<" + country[0] + number + f.digits(1), 30));
      l.add(
          yymmdd(dob)
              + f.digits(1)
              + (f.chance(0.5) ? "F" : "M")
              + yymmdd(expiry)
              + f.digits(1)
              + country[0]
              + "<<<<<<<<<<<"
              + f.digits(1));
      l.add(pad(mrzName(last, first), 30));
    }
    return l;
  }

  static List<String> stateId(Fakes f) {
    String state = f.pick(Fakes.STATES);
    List<String> l = new ArrayList<>();
    l.add(
        state
            + " "
            + f.pick(
                List.of(
                    "IDENTIFICATION CARD",
                    "ID CARD",
                    "IDENTIFICATION CARD - NOT A DRIVER LICENSE")));
    l.add(
        "ID NO "
            + f.digits(9)
            + "   ISS "
            + f.usDate(f.date(2018, 2025))
            + "   EXP "
            + f.usDate(f.date(2026, 2033)));
    l.add(f.last().toUpperCase(Locale.ROOT) + ", " + f.first().toUpperCase(Locale.ROOT));
    l.add(f.street().toUpperCase(Locale.ROOT) + " " + f.cityLine().toUpperCase(Locale.ROOT));
    l.add(
        "DOB "
            + f.usDate(f.date(1940, 2008))
            + "  SEX "
            + (f.chance(0.5) ? "F" : "M")
            + "  EYES "
            + f.pick(List.of("BRO", "BLU", "GRN"))
            + "  HGT "
            + f.between(4, 6)
            + "'-"
            + f.between(0, 11)
            + "\"");
    l.add("DD " + f.digits(12));
    return l;
  }

  // ---------------------------------------------------------------- property

  static List<String> appraisal(Fakes f) {
    double value = f.amount(140_000, 1_400_000);
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(
            List.of(
                "Uniform Residential Appraisal Report",
                "UNIFORM RESIDENTIAL APPRAISAL REPORT  File # " + f.digits(6),
                "Residential Appraisal Report - Form 1004")));
    l.add(
        "The purpose of this summary appraisal report is to provide the lender/client with an accurate, and adequately "
            + "supported, opinion of the market value of the subject property.");
    l.add("Property Address " + f.street() + "  City " + f.city()[0] + "  State " + f.city()[1]);
    l.add("Borrower " + f.fullName() + "   Owner of Public Record " + f.fullName());
    l.add(
        "Legal Description  LOT "
            + f.between(1, 90)
            + " BLOCK "
            + f.between(1, 30)
            + " "
            + f.pick(List.of("OAK MEADOWS", "RIVER BEND ESTATES", "SUNSET HEIGHTS", "CEDAR PARK"))
            + " SUBDIVISION");
    l.add(
        "Assessor's Parcel # "
            + f.digits(3)
            + "-"
            + f.digits(3)
            + "-"
            + f.digits(3)
            + "   Tax Year "
            + f.between(2023, 2025)
            + "   R.E. Taxes $ "
            + f.money(1_500, 14_000));
    l.add(
        "Neighborhood Name "
            + f.pick(List.of("Oak Meadows", "Downtown", "Lakeside", "Northgate", "Old Town"))
            + "   Built-Up "
            + f.pick(List.of("Over 75%", "25-75%"))
            + "   Growth "
            + f.pick(List.of("Stable", "Rapid", "Slow")));
    l.add(
        "Site Area "
            + f.between(3_000, 40_000)
            + " sf   Zoning "
            + f.pick(List.of("R-1", "R-2", "RS-7"))
            + "   View "
            + f.pick(List.of("N;Res;", "B;Water;", "N;Woods;")));
    l.add(
        "Year Built "
            + f.between(1920, 2023)
            + "   Gross Living Area "
            + f.between(800, 4_800)
            + " sq.ft.   Bedrooms "
            + f.between(1, 6)
            + "   Baths "
            + f.between(1, 4));
    for (int i = 1; i <= 3; i++) {
      l.add(
          "COMPARABLE SALE # "
              + i
              + "  "
              + f.street()
              + "  Sale Price $ "
              + Fakes.money(value * (0.9 + f.rnd().nextDouble() * 0.2))
              + "  Proximity "
              + f.amount(0.1, 2.5)
              + " miles");
    }
    l.add("Indicated Value by Sales Comparison Approach $ " + Fakes.money(value));
    l.add("Indicated Value by: Cost Approach (if developed) $ " + Fakes.money(value * 1.03));
    l.add(
        "This appraisal is made \"as is\". Opinion of market value as of "
            + f.anyDate(f.date(2025, 2026))
            + " is $ "
            + Fakes.money(value));
    l.add("Appraiser " + f.fullName() + "  State Certification # " + f.letters(2) + f.digits(6));
    return l;
  }

  static List<String> titleCommitment(Fakes f) {
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(
            List.of(
                "COMMITMENT FOR TITLE INSURANCE",
                "Commitment for Title Insurance  ALTA Commitment",
                "TITLE COMMITMENT")));
    l.add(
        "Issued by "
            + f.pick(
                List.of(
                    "First American Title Insurance Company",
                    "Stewart Title Guaranty Company",
                    "Old Republic National Title Insurance Company",
                    "Chicago Title Insurance Company")));
    l.add("Commitment No. " + f.digits(8) + "   Effective Date " + f.anyDate(f.date(2025, 2026)));
    l.add("SCHEDULE A");
    l.add(
        "1. Policy or Policies to be issued: ALTA Owner's Policy  Proposed Insured: "
            + f.fullName()
            + "  Proposed Policy Amount $"
            + f.money(150_000, 1_200_000));
    l.add("   ALTA Loan Policy  Proposed Insured: " + f.bank() + ", its successors and/or assigns");
    l.add("2. The estate or interest in the Land is Fee Simple.");
    l.add(
        "3. Title is, at the Commitment Date, vested in: " + f.fullName() + " and " + f.fullName());
    l.add(
        "4. The Land is described as follows: Lot "
            + f.between(1, 80)
            + ", Block "
            + f.between(1, 20)
            + ", according to the plat "
            + "recorded in Plat Book "
            + f.between(10, 400)
            + ", Page "
            + f.between(1, 99)
            + ", County of "
            + f.city()[0]);
    l.add("SCHEDULE B, PART I - Requirements");
    l.add(
        "Payment of the full consideration to, or for the account of, the grantors or mortgagors.");
    l.add("Release of the Mortgage recorded as Instrument No. " + f.digits(10) + ".");
    l.add("SCHEDULE B, PART II - Exceptions");
    l.add("Easements, liens or encumbrances, or claims thereof, not shown by the Public Records.");
    l.add(
        "Taxes and assessments for the year "
            + f.between(2025, 2026)
            + " and subsequent years, not yet due and payable.");
    return l;
  }

  static List<String> deed(Fakes f) {
    List<String> l = new ArrayList<>();
    l.add("RECORDING REQUESTED BY AND WHEN RECORDED MAIL TO: " + f.fullName() + ", " + f.street());
    l.add(
        f.pick(List.of("GRANT DEED", "WARRANTY DEED", "GENERAL WARRANTY DEED", "QUITCLAIM DEED")));
    l.add(
        "APN: "
            + f.digits(3)
            + "-"
            + f.digits(3)
            + "-"
            + f.digits(2)
            + "   Documentary transfer tax $"
            + f.money(100, 4_000));
    l.add(
        "FOR A VALUABLE CONSIDERATION, receipt of which is hereby acknowledged, "
            + f.fullName()
            + ", Grantor, hereby GRANTS to "
            + f.fullName()
            + ", Grantee, the following described real property in the County of "
            + f.city()[0]
            + ", State of "
            + f.pick(Fakes.STATES)
            + ":");
    l.add(
        "Lot "
            + f.between(1, 99)
            + " of Tract No. "
            + f.digits(5)
            + ", as per map recorded in Book "
            + f.between(10, 900)
            + " Page "
            + f.between(1, 99)
            + " of Maps, in the office of the County Recorder.");
    l.add("Commonly known as: " + f.street() + ", " + f.cityLine());
    l.add("Dated " + f.anyDate(f.date(2000, 2026)));
    l.add(
        "State of "
            + f.pick(Fakes.STATES)
            + ", County of "
            + f.city()[0]
            + ". On "
            + f.anyDate(f.date(2000, 2026))
            + " before me, a Notary Public, personally appeared the grantor, who proved to me on the basis of satisfactory evidence.");
    l.add("Notary Public  My commission expires " + f.anyDate(f.date(2026, 2030)));
    return l;
  }

  static List<String> purchaseAgreement(Fakes f) {
    double price = f.amount(150_000, 1_600_000);
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(
            List.of(
                "RESIDENTIAL PURCHASE AGREEMENT",
                "Residential Real Estate Purchase and Sale Agreement",
                "CONTRACT TO BUY AND SELL REAL ESTATE (RESIDENTIAL)")));
    l.add("Date: " + f.anyDate(f.date(2025, 2026)));
    l.add(
        "1. PARTIES. "
            + f.fullName()
            + " (\"Buyer\") agrees to buy and "
            + f.fullName()
            + " (\"Seller\") agrees to sell the "
            + "Property described below.");
    l.add(
        "2. PROPERTY. "
            + f.street()
            + ", "
            + f.cityLine()
            + ", together with all fixtures and improvements.");
    l.add("3. PURCHASE PRICE. The total purchase price is $" + Fakes.money(price) + ".");
    l.add(
        "4. EARNEST MONEY. Buyer shall deposit $"
            + Fakes.money(price * 0.01 * f.between(1, 3))
            + " with the escrow holder within "
            + f.between(1, 5)
            + " business days of acceptance.");
    l.add(
        "5. FINANCING. This agreement is contingent upon Buyer obtaining a loan of not more than $"
            + Fakes.money(price * (0.6 + f.rnd().nextDouble() * 0.35))
            + " at an interest rate not to exceed "
            + f.amount(5, 8)
            + "%.");
    l.add(
        "6. INSPECTION CONTINGENCY. Buyer may have the Property inspected within "
            + f.between(7, 17)
            + " days.");
    l.add(
        "7. APPRAISAL CONTINGENCY. If the Property appraises below the purchase price, Buyer may terminate.");
    l.add(
        "8. CLOSING. Closing shall occur on or before "
            + f.anyDate(f.date(2025, 2026))
            + ". Possession at close of escrow.");
    l.add(
        "9. TITLE. Seller shall convey marketable title by "
            + f.pick(List.of("grant deed", "warranty deed"))
            + ".");
    l.add("Buyer signature ____________  Seller signature ____________");
    return l;
  }

  // ---------------------------------------------------------------- other (none of the routes)

  static List<String> utilityBill(Fakes f) {
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(
            List.of(
                "City Power & Light",
                "Metro Gas Company",
                "Riverside Water District",
                "Valley Electric Cooperative")));
    l.add("Service address: " + f.street() + ", " + f.cityLine() + "   Account # " + f.digits(10));
    l.add(
        "Billing date "
            + f.usDate(f.date(2025, 2026))
            + "   Due date "
            + f.usDate(f.date(2025, 2026)));
    l.add(
        "Previous reading "
            + f.between(10_000, 60_000)
            + "  Current reading "
            + f.between(10_000, 60_000)
            + "  Usage "
            + f.between(200, 1_800)
            + " kWh");
    l.add(
        "Delivery charges $"
            + f.money(20, 90)
            + "  Supply charges $"
            + f.money(30, 200)
            + "  Taxes and fees $"
            + f.money(3, 25));
    l.add(
        "Total amount due $"
            + f.money(60, 380)
            + "   Pay online, by phone, or mail the stub below.");
    l.add(
        "Your usage compared with last year: "
            + f.between(-20, 20)
            + "%. Tips to save energy this winter.");
    return l;
  }

  static List<String> medicalBill(Fakes f) {
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(
            List.of(
                "Harborview Hospital - Patient Statement",
                "Blue Ridge Health System  STATEMENT",
                "Evergreen Dental Associates - Statement of Account")));
    l.add("Patient: " + f.fullName() + "   Guarantor account " + f.digits(8));
    l.add(
        "Date of service " + f.usDate(f.date(2025, 2026)) + "   Provider " + f.fullName() + ", MD");
    l.add(
        "Description: "
            + f.pick(
                List.of(
                    "Office visit, established patient",
                    "Emergency department visit",
                    "Lab - comprehensive panel",
                    "Dental cleaning and x-rays",
                    "Physical therapy session"))
            + "   Charges $"
            + f.money(80, 4_000));
    l.add("Insurance payments -$" + f.money(40, 2_000) + "   Adjustments -$" + f.money(0, 600));
    l.add(
        "Patient responsibility $"
            + f.money(10, 900)
            + "   Please pay by "
            + f.usDate(f.date(2025, 2026)));
    l.add(
        "Questions about your bill? Call Patient Financial Services. Financial assistance is available.");
    return l;
  }

  static List<String> letterOfExplanation(Fakes f) {
    List<String> l = new ArrayList<>();
    l.add(f.longDate(f.date(2025, 2026)));
    l.add("Dear " + f.pick(List.of("Underwriter", "Sir or Madam", "Loan Officer")) + ",");
    l.add(
        f.pick(
            List.of(
                "I am writing to explain the recent credit inquiries on my report.",
                "Please accept this letter as an explanation of the gap in my address history.",
                "I would like to explain the late payment reported in "
                    + f.longDate(f.date(2021, 2024))
                    + ".")));
    l.add(
        f.pick(
            List.of(
                "The inquiry was made when I shopped for a car and I did not open a new account.",
                "During that period I was caring for a family member and moved temporarily.",
                "The payment was late because of a change of servicer and was paid in full as soon as I noticed.")));
    l.add("I appreciate your understanding and I am happy to provide anything else you need.");
    l.add("Sincerely, " + f.fullName());
    return l;
  }

  static List<String> phoneBill(Fakes f) {
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(List.of("Verizon Wireless", "T-Mobile", "AT&T Wireless", "Mint Mobile"))
            + "   Your monthly bill");
    l.add(
        "Account number "
            + f.digits(9)
            + "-"
            + f.digits(5)
            + "   Bill period "
            + f.usDate(f.date(2025, 2026)));
    l.add(
        "Plan: "
            + f.pick(
                List.of("Unlimited Plus", "Unlimited Welcome", "5GB Shared", "Family Unlimited"))
            + "   Lines: "
            + f.between(1, 5));
    l.add(
        "Monthly charges $"
            + f.money(30, 240)
            + "   Device payments $"
            + f.money(0, 60)
            + "   Surcharges $"
            + f.money(2, 18));
    l.add(
        "Data used "
            + f.amount(1, 90)
            + " GB   Talk "
            + f.between(50, 2_000)
            + " min   Text "
            + f.between(10, 4_000));
    l.add(
        "Total due $"
            + f.money(40, 320)
            + " by "
            + f.usDate(f.date(2025, 2026))
            + ". AutoPay is on.");
    return l;
  }

  static List<String> newsletter(Fakes f) {
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(
            List.of(
                "Neighborhood News - Spring Edition",
                "Community Garden Club Newsletter",
                "PTA Monthly Update",
                "Homeowners Association Quarterly")));
    l.add(
        f.pick(
            List.of(
                "Join us for the annual cleanup day on Saturday morning.",
                "The farmers market returns this weekend.",
                "Volunteers needed for the school book fair.")));
    l.add(
        f.pick(
            List.of(
                "Recipe of the month: lemon blueberry muffins with a crumb topping.",
                "Reminder: yard waste pickup starts next week.",
                "Our board meeting minutes are available at the clubhouse.")));
    l.add(
        "Contact "
            + f.fullName()
            + " at "
            + f.first().toLowerCase(Locale.ROOT)
            + "@example.org to get involved.");
    l.add(
        f.pick(
            List.of(
                "Thank you to everyone who made the summer picnic a success!",
                "See you at the next meeting.")));
    return l;
  }

  // ---------------------------------------------------------------- harder ones: shared vocabulary
  // across classes

  static List<String> benefitAwardLetter(Fakes f) {
    int year = f.between(2024, 2026);
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(
            List.of(
                "Social Security Administration",
                "SOCIAL SECURITY ADMINISTRATION  Retirement, Survivors and Disability Insurance",
                "State Teachers' Retirement System")));
    l.add(
        f.pick(
            List.of(
                "Benefit Verification Letter",
                "Notice of Award",
                "Your " + year + " Benefit Statement")));
    l.add("Date: " + f.longDate(f.date(year, year)));
    l.add(f.fullName() + "  " + f.street() + "  " + f.cityLine());
    l.add(
        "You are entitled to monthly "
            + f.pick(List.of("retirement", "disability", "survivors", "pension"))
            + " benefits beginning "
            + f.longDate(f.date(2010, 2024))
            + ".");
    l.add(
        "Beginning December "
            + (year - 1)
            + ", the full monthly benefit before any deductions is $"
            + f.money(900, 4_200)
            + ".");
    l.add(
        "We deduct $"
            + f.money(0, 185)
            + " for medical insurance premiums each month. The amount you receive is $"
            + f.money(800, 4_000)
            + ".");
    l.add(
        "Your payments are deposited to your account at "
            + f.bank()
            + " on the "
            + f.pick(List.of("second", "third", "fourth"))
            + " Wednesday of each month.");
    l.add(
        "This letter may be used as proof of income for a loan, housing assistance or other purposes.");
    return l;
  }

  static List<String> profitAndLoss(Fakes f) {
    double revenue = f.amount(40_000, 900_000);
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(
            List.of(
                "PROFIT AND LOSS STATEMENT",
                "Profit & Loss - Year to Date",
                "Schedule C Profit or Loss From Business")));
    l.add(
        f.fullName()
            + " dba "
            + f.pick(
                List.of(
                    "Bright Path Consulting",
                    "Redline Auto Repair",
                    "Green Thumb Landscaping",
                    "Sweet Crumb Bakery",
                    "Summit Home Inspections")));
    l.add(
        "Period: January 1 - "
            + f.longDate(f.date(2025, 2026))
            + "   Prepared by: "
            + f.pick(List.of("owner", "CPA", "bookkeeper")));
    l.add("Gross receipts or sales " + Fakes.money(revenue));
    l.add("Cost of goods sold " + Fakes.money(revenue * f.amount(0.05, 0.4)));
    l.add(
        "Advertising " + f.money(200, 9_000) + "   Car and truck expenses " + f.money(500, 12_000));
    l.add(
        "Rent or lease "
            + f.money(0, 40_000)
            + "   Utilities "
            + f.money(600, 9_000)
            + "   Supplies "
            + f.money(300, 15_000));
    l.add("Total expenses " + Fakes.money(revenue * f.amount(0.3, 0.7)));
    l.add("Net profit (loss) " + Fakes.money(revenue * f.amount(0.1, 0.5)));
    l.add("I certify this statement is true and correct.  Signature ____________");
    return l;
  }

  static List<String> verificationOfDeposit(Fakes f) {
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(
            List.of(
                "Request for Verification of Deposit",
                "VERIFICATION OF DEPOSIT  Fannie Mae Form 1006",
                "Deposit Verification")));
    l.add("To (Name and address of depository): " + f.bank() + ", " + f.cityLine());
    l.add(
        "From (Name and address of lender): "
            + f.pick(List.of("Homestead Mortgage Co", "Liberty Home Loans", "Keystone Lending")));
    l.add("Applicant: " + f.fullName() + "   Loan number " + f.digits(10));
    l.add(
        "Type of account  Account number  Current balance  Average balance for previous two months  Date opened");
    for (int i = 0; i < f.between(1, 3); i++) {
      l.add(
          f.pick(List.of("Checking", "Savings", "Money Market", "Certificate of Deposit"))
              + "  ****"
              + f.digits(4)
              + "  $"
              + f.money(500, 90_000)
              + "  $"
              + f.money(500, 90_000)
              + "  "
              + f.usDate(f.date(2005, 2023)));
    }
    l.add(
        "Loans outstanding to applicant: "
            + f.pick(
                List.of("None", "Auto loan, installments $" + f.money(200, 700) + " monthly")));
    l.add(
        "Were any accounts overdrawn in the last 12 months? "
            + f.pick(List.of("No", "Yes, twice")));
    l.add(
        "Signature of depository representative ____________  Title: "
            + f.pick(List.of("Branch Manager", "Operations Officer")));
    return l;
  }

  static List<String> retirementStatement(Fakes f) {
    double bal = f.amount(4_000, 900_000);
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(
                List.of(
                    "Fidelity Investments",
                    "Vanguard",
                    "Charles Schwab",
                    "TIAA",
                    "Empower Retirement"))
            + "  "
            + f.pick(
                List.of(
                    "401(k) Plan Quarterly Statement",
                    "Retirement Account Statement",
                    "IRA Statement",
                    "Brokerage Account Statement")));
    l.add("Participant: " + f.fullName() + "   Account ending " + f.digits(4));
    l.add(
        "Statement period " + f.usDate(f.date(2025, 2025)) + " - " + f.usDate(f.date(2026, 2026)));
    l.add(
        "Beginning balance $"
            + Fakes.money(bal * 0.95)
            + "   Contributions $"
            + f.money(500, 12_000)
            + "   Change in value $"
            + f.money(-20_000, 40_000));
    l.add(
        "Ending balance $"
            + Fakes.money(bal)
            + "   Vested balance $"
            + Fakes.money(bal * f.amount(0.6, 1.0)));
    l.add(
        "Holdings: "
            + f.pick(
                List.of("Target Date 2045 Fund", "S&P 500 Index Fund", "Total Bond Market Fund"))
            + " "
            + f.between(10, 90)
            + "%, "
            + f.pick(List.of("Stable Value Fund", "International Index Fund"))
            + " "
            + f.between(5, 40)
            + "%");
    l.add(
        "Loan balance $"
            + f.money(0, 20_000)
            + ". Withdrawals before age 59 1/2 may be subject to a 10% penalty.");
    return l;
  }

  static List<String> homeownersInsurance(Fakes f) {
    double dwelling = f.amount(150_000, 1_200_000);
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(
            List.of(
                "HOMEOWNERS POLICY DECLARATIONS",
                "Homeowners Insurance Declarations Page",
                "Evidence of Property Insurance")));
    l.add(
        f.pick(
                List.of(
                    "Silverline Insurance Co",
                    "State Farm Fire and Casualty",
                    "Allstate",
                    "Liberty Mutual"))
            + "  Policy number "
            + f.letters(2)
            + f.digits(8));
    l.add(
        "Named insured: "
            + f.fullName()
            + "   Residence premises: "
            + f.street()
            + ", "
            + f.cityLine());
    l.add(
        "Policy period "
            + f.usDate(f.date(2025, 2026))
            + " to "
            + f.usDate(f.date(2026, 2027))
            + " 12:01 a.m. standard time");
    l.add(
        "Coverage A Dwelling $"
            + Fakes.money(dwelling)
            + "   Coverage B Other Structures $"
            + Fakes.money(dwelling * 0.1));
    l.add(
        "Coverage C Personal Property $"
            + Fakes.money(dwelling * 0.5)
            + "   Coverage E Personal Liability $300,000");
    l.add(
        "Deductible: All perils $"
            + f.pick(List.of("1,000", "2,500", "5,000"))
            + "   Annual premium $"
            + f.money(700, 5_000));
    l.add("Mortgagee: " + f.bank() + " ISAOA ATIMA  Loan number " + f.digits(10));
    return l;
  }

  static List<String> propertyTaxBill(Fakes f) {
    double assessed = f.amount(90_000, 1_100_000);
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(
                List.of(
                    "County Treasurer",
                    "Office of the Tax Collector",
                    "County Assessor and Collector"))
            + " - "
            + f.city()[0]
            + " County");
    l.add(
        f.pick(
                List.of(
                    "SECURED PROPERTY TAX BILL",
                    "Real Estate Tax Statement",
                    "Annual Property Tax Notice"))
            + " "
            + f.between(2025, 2026));
    l.add(
        "Parcel number "
            + f.digits(3)
            + "-"
            + f.digits(3)
            + "-"
            + f.digits(3)
            + "   Situs: "
            + f.street()
            + ", "
            + f.cityLine());
    l.add("Owner of record: " + f.fullName());
    l.add(
        "Assessed value: Land $"
            + Fakes.money(assessed * 0.3)
            + "  Improvements $"
            + Fakes.money(assessed * 0.7)
            + "  Homeowner exemption -$7,000");
    l.add(
        "Tax rate "
            + f.amount(0.8, 2.4)
            + "%   General levy $"
            + Fakes.money(assessed * 0.011)
            + "   Voter-approved bonds $"
            + f.money(50, 900));
    l.add(
        "First installment due "
            + f.usDate(f.date(2025, 2026))
            + " $"
            + Fakes.money(assessed * 0.006)
            + "   Second installment due "
            + f.usDate(f.date(2026, 2026))
            + " $"
            + Fakes.money(assessed * 0.006));
    return l;
  }

  static List<String> creditCardOffer(Fakes f) {
    List<String> l = new ArrayList<>();
    l.add(
        f.bank()
            + " - "
            + f.pick(
                List.of(
                    "You're pre-approved!", "A special offer for you", "Exclusive card offer")));
    l.add("Dear " + f.fullName() + ",");
    l.add(
        "Earn "
            + f.between(2, 5)
            + "% cash back on groceries and a $"
            + f.between(100, 300)
            + " bonus after you spend $"
            + f.money(500, 3_000)
            + " in the first 3 months.");
    l.add(
        "0% intro APR on purchases and balance transfers for "
            + f.between(12, 21)
            + " months, then a variable APR of "
            + f.amount(19, 29)
            + "%.");
    l.add(
        "No annual fee. Respond by "
            + f.longDate(f.date(2026, 2026))
            + ". Reservation code "
            + f.letters(4)
            + f.digits(6)
            + ".");
    l.add(
        "PRESCREEN & OPT-OUT NOTICE: This prescreened offer is based on information in your credit report.");
    return l;
  }

  static List<String> carInsuranceCard(Fakes f) {
    List<String> l = new ArrayList<>();
    l.add(
        f.pick(
            List.of(
                "AUTOMOBILE INSURANCE IDENTIFICATION CARD",
                "Proof of Auto Insurance",
                "Insurance ID Card")));
    l.add(
        "Company: "
            + f.pick(List.of("Geico", "Progressive", "Silverline Insurance Co"))
            + "   NAIC # "
            + f.digits(5));
    l.add(
        "Policy number "
            + f.digits(10)
            + "   Effective "
            + f.usDate(f.date(2025, 2026))
            + "   Expires "
            + f.usDate(f.date(2026, 2027)));
    l.add("Insured: " + f.fullName() + "   " + f.street() + ", " + f.cityLine());
    l.add(
        "Vehicle: "
            + f.between(2010, 2026)
            + " "
            + f.pick(List.of("TOYOTA CAMRY", "HONDA CIVIC", "FORD F-150", "TESLA MODEL 3"))
            + "   VIN "
            + f.letters(3)
            + f.digits(5)
            + f.letters(2)
            + f.digits(7));
    l.add(
        "Keep this card in your vehicle. Show it to a police officer on request or in case of an accident.");
    return l;
  }
}
