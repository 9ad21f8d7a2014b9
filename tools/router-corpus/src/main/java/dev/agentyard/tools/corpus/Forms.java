package dev.agentyard.tools.corpus;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The long tail of documents lenders receive, as form specifications rendered in several layouts:
 * each kind has title variants, an issuer, fields (each with English synonyms and, for many, a
 * Spanish label), notes and sometimes a table; a document picks a language, a layout (label: value,
 * boxed labels over values, two fields a line, dotted leaders, or a run-on OCR line), which
 * optional fields to show and in what order. {@link Templates} holds the kinds written out by hand.
 */
final class Forms {

  /** One field: English labels (synonyms), Spanish labels (may be empty), and its value. */
  record Field(List<String> en, List<String> es, boolean optional, Function<Fakes, String> value) {}

  /** A kind of document. */
  static final class Spec {
    final String label;
    final String name;
    final List<String> titles = new ArrayList<>();
    final List<String> titlesEs = new ArrayList<>();
    final List<Function<Fakes, String>> issuers = new ArrayList<>();
    final List<Field> fields = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final List<String> notesEs = new ArrayList<>();
    Function<Fakes, List<String>> table;

    Spec(String label, String name) {
      this.label = label;
      this.name = name;
    }

    Spec title(String... t) {
      titles.addAll(Arrays.asList(t));
      return this;
    }

    Spec es(String... t) {
      titlesEs.addAll(Arrays.asList(t));
      return this;
    }

    Spec issuer(Function<Fakes, String> i) {
      issuers.add(i);
      return this;
    }

    /**
     * {@code "Employee name|Name of employee / Nombre del empleado"}; {@code ?} first: optional.
     */
    Spec field(String labels, Function<Fakes, String> value) {
      boolean optional = labels.startsWith("?");
      String l = optional ? labels.substring(1) : labels;
      String[] sides = l.split(" / ", 2);
      fields.add(
          new Field(
              List.of(sides[0].split("\\|")),
              sides.length > 1 ? List.of(sides[1].split("\\|")) : List.of(),
              optional,
              value));
      return this;
    }

    Spec note(String... n) {
      notes.addAll(Arrays.asList(n));
      return this;
    }

    Spec noteEs(String... n) {
      notesEs.addAll(Arrays.asList(n));
      return this;
    }

    Spec table(Function<Fakes, List<String>> t) {
      this.table = t;
      return this;
    }

    Templates.Template template() {
      return new Templates.Template(label, name, this::write);
    }

    List<String> write(Fakes f) {
      boolean spanish = !titlesEs.isEmpty() && f.chance(0.25);
      List<String> l = new ArrayList<>();
      String title = f.pick(spanish ? titlesEs : titles);
      if (!issuers.isEmpty() && f.chance(0.5)) {
        l.add(f.pick(issuers).apply(f));
        l.add(title);
      } else {
        l.add(title);
        if (!issuers.isEmpty()) {
          l.add(f.pick(issuers).apply(f));
        }
      }
      List<String[]> pairs = new ArrayList<>();
      for (Field fd : fields) {
        if (fd.optional() && f.chance(0.35)) {
          continue;
        }
        List<String> labels = spanish && !fd.es().isEmpty() ? fd.es() : fd.en();
        pairs.add(new String[] {f.pick(labels), fd.value().apply(f)});
      }
      for (int i = 0; i + 1 < pairs.size(); i++) {
        if (f.chance(0.15)) {
          Collections.swap(pairs, i, i + 1);
        }
      }
      switch (f.rnd().nextInt(5)) {
        case 0 -> pairs.forEach(p -> l.add(p[0] + ": " + p[1]));
        case 1 ->
            pairs.forEach(
                p -> {
                  l.add(p[0].toUpperCase(Locale.ROOT));
                  l.add("  " + p[1]);
                });
        case 2 -> {
          for (int i = 0; i < pairs.size(); i += 2) {
            String a = pairs.get(i)[0] + "  " + pairs.get(i)[1];
            l.add(
                i + 1 < pairs.size()
                    ? a + "      " + pairs.get(i + 1)[0] + "  " + pairs.get(i + 1)[1]
                    : a);
          }
        }
        case 3 ->
            pairs.forEach(
                p -> l.add(p[0] + " " + ".".repeat(Math.max(3, 34 - p[0].length())) + " " + p[1]));
        default -> {
          StringBuilder run = new StringBuilder();
          for (String[] p : pairs) {
            if (run.length() > 90) {
              l.add(run.toString().strip());
              run.setLength(0);
            }
            run.append(p[0]).append(' ').append(p[1]).append("  ");
          }
          l.add(run.toString().strip());
        }
      }
      if (table != null) {
        l.addAll(table.apply(f));
      }
      List<String> ns = new ArrayList<>(spanish && !notesEs.isEmpty() ? notesEs : notes);
      Collections.shuffle(ns, f.rnd());
      l.addAll(ns.subList(0, Math.min(ns.size(), f.between(1, 3))));
      return l;
    }
  }

  // ---------------------------------------------------------------- values

  static String name(Fakes f) {
    return f.fullName();
  }

  static String upperName(Fakes f) {
    return f.last().toUpperCase(Locale.ROOT) + ", " + f.first().toUpperCase(Locale.ROOT);
  }

  static String address(Fakes f) {
    return f.street() + ", " + f.cityLine();
  }

  static String date(Fakes f) {
    return f.anyDate(f.date(2019, 2026));
  }

  static String birthDate(Fakes f) {
    return f.anyDate(f.date(1950, 2004));
  }

  static String future(Fakes f) {
    return f.anyDate(f.date(2027, 2034));
  }

  static Function<Fakes, String> money(double lo, double hi) {
    return f -> "$" + f.money(lo, hi);
  }

  static Function<Fakes, String> id(String pattern) {
    return f -> {
      StringBuilder b = new StringBuilder();
      for (char c : pattern.toCharArray()) {
        b.append(c == '#' ? f.digits(1) : c == 'A' ? f.letters(1) : String.valueOf(c));
      }
      return b.toString();
    };
  }

  static Function<Fakes, String> oneOf(String... v) {
    return f -> f.pick(List.of(v));
  }

  static String state(Fakes f) {
    return f.city()[1];
  }

  static String masked(Fakes f) {
    return "****" + f.digits(4);
  }

  static String year(Fakes f) {
    return Integer.toString(f.between(2021, 2025));
  }

  static String county(Fakes f) {
    return f.pick(List.of("Maricopa", "Cook", "Harris", "King", "Travis", "Fulton", "Wake"))
        + " County";
  }

  static String company(Fakes f) {
    return f.employer();
  }

  static List<String> rows(Fakes f, String header, int n, Function<Fakes, String> row) {
    List<String> out = new ArrayList<>();
    out.add(header);
    for (int i = 0; i < n; i++) {
      out.add(row.apply(f));
    }
    return out;
  }

  static String shortDate(Fakes f) {
    LocalDate d = f.date(2025, 2026);
    return String.format(Locale.US, "%02d/%02d", d.getMonthValue(), d.getDayOfMonth());
  }

  // ---------------------------------------------------------------- the kinds

  static final List<Spec> SPECS = new ArrayList<>();

  private static Spec spec(String label, String name) {
    Spec s = new Spec(label, name);
    SPECS.add(s);
    return s;
  }

  static {
    // ---- income
    spec("income", "ssa-1099")
        .title(
            "FORM SSA-1099 - SOCIAL SECURITY BENEFIT STATEMENT",
            "Social Security Benefit Statement (SSA-1099)",
            "SSA-1099 Benefit Statement " + "for tax year")
        .issuer(f -> "Social Security Administration")
        .field("Box 1. Name|Beneficiary", Forms::name)
        .field("Box 2. Beneficiary's Social Security Number", f -> f.ssnMasked())
        .field("Box 3. Benefits Paid in", f -> year(f) + "  $" + f.money(9_000, 42_000))
        .field("?Box 4. Benefits Repaid to SSA", money(0, 900))
        .field(
            "Box 5. Net Benefits for",
            f -> year(f) + " (Box 3 minus Box 4)  $" + f.money(9_000, 41_000))
        .field("?Medicare Part B premiums deducted from your benefits", money(1_800, 2_500))
        .field("?Voluntary federal income tax withheld", money(0, 4_000))
        .note(
            "DO NOT RETURN THIS FORM TO SSA OR IRS",
            "Benefits for a year may include payments made for earlier years.",
            "Description of amount in Box 3: Paid by check or direct deposit.");
    spec("income", "1099-r")
        .title(
            "Form 1099-R Distributions From Pensions, Annuities, Retirement or Profit-Sharing Plans",
            "1099-R  Distributions From Pensions, Annuities, IRAs, Insurance Contracts")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "Fidelity Retirement Services",
                        "CalPERS",
                        "TIAA",
                        "Vanguard Fiduciary Trust")))
        .field("PAYER'S TIN", f -> f.ein())
        .field("RECIPIENT'S name", Forms::name)
        .field("1 Gross distribution", money(3_000, 80_000))
        .field("2a Taxable amount", money(3_000, 80_000))
        .field("?4 Federal income tax withheld", money(0, 9_000))
        .field("7 Distribution code(s)", oneOf("7", "1", "2", "G", "4"))
        .field("?IRA/SEP/SIMPLE", oneOf("X", ""))
        .note(
            "Copy B Report this income on your federal tax return.",
            "This information is being furnished to the IRS.");
    spec("income", "schedule-k1")
        .title(
            "Schedule K-1 (Form 1065) Partner's Share of Income, Deductions, Credits, etc.",
            "Schedule K-1 (Form 1120-S) Shareholder's Share of Income, Deductions, Credits",
            "K-1  Partner's Share of Current Year Income")
        .field(
            "Part I  A Partnership's employer identification number|Corporation's EIN",
            f -> f.ein())
        .field("B Partnership's name, address|Corporation's name", f -> f.employer())
        .field("Part II  E Partner's name|Shareholder's name", Forms::name)
        .field(
            "J Partner's share of profit|Shareholder's percentage of stock ownership",
            f -> f.between(5, 60) + "%")
        .field("1 Ordinary business income (loss)", money(-20_000, 180_000))
        .field("?4a Guaranteed payments for services", money(0, 60_000))
        .field("?19 Distributions", money(0, 90_000))
        .note(
            "Final K-1 [ ]  Amended K-1 [ ]",
            "For calendar year or tax year beginning",
            "See back of form and separate instructions.");
    spec("income", "schedule-e")
        .title(
            "SCHEDULE E (Form 1040) Supplemental Income and Loss",
            "Schedule E - Part I Income or Loss From Rental Real Estate and Royalties")
        .field("Name(s) shown on return", Forms::name)
        .field("1a Physical address of each property", Forms::address)
        .field(
            "1b Type of property",
            oneOf(
                "1 Single Family Residence",
                "2 Multi-Family Residence",
                "3 Vacation/Short-Term Rental"))
        .field("2 Fair rental days", f -> Integer.toString(f.between(200, 365)))
        .field("3 Rents received", money(9_000, 60_000))
        .field("?12 Mortgage interest paid to banks", money(2_000, 20_000))
        .field("?16 Taxes", money(1_000, 9_000))
        .field("18 Depreciation expense or depletion", money(2_000, 15_000))
        .field("21 Income or (loss) from rental real estate", money(-5_000, 30_000))
        .note(
            "Attach to Form 1040, 1040-SR, 1040-NR, or 1041.",
            "Did you make any payments in the year that would require you to file Form(s) 1099?");
    spec("income", "voe-1005")
        .title(
            "Request for Verification of Employment (Form 1005)",
            "VERIFICATION OF EMPLOYMENT",
            "Written Verification of Employment - Fannie Mae Form 1005")
        .es("Verificación de empleo", "Constancia de empleo y salario")
        .issuer(f -> f.employer() + " Human Resources")
        .field("Applicant / Employee|Employee name / Nombre del empleado", Forms::name)
        .field("Employer|Name and address of employer / Empleador", f -> f.employer())
        .field("Applicant's date of employment|Hire date / Fecha de ingreso", Forms::date)
        .field(
            "Present position|Job title / Puesto",
            oneOf(
                "Registered Nurse",
                "Software Engineer",
                "Warehouse Supervisor",
                "Teacher",
                "Sales Associate",
                "Electrician"))
        .field(
            "Current base pay|Base salary / Salario base",
            f -> "$" + f.money(30_000, 190_000) + " annual")
        .field("?Overtime year to date|Horas extra en el año", money(0, 12_000))
        .field(
            "?Probability of continued employment / Probabilidad de continuidad",
            oneOf("Good", "Excellent", "Likely", "Buena"))
        .field(
            "Signature of employer|Title / Firma del empleador", f -> f.fullName() + ", HR Manager")
        .note(
            "The information is provided in strict confidence in response to your request.",
            "Part II - Verification of Present Employment")
        .noteEs("La información se proporciona de forma confidencial a solicitud del prestamista.");
    spec("income", "military-les")
        .title(
            "DEFENSE FINANCE AND ACCOUNTING SERVICE MILITARY LEAVE AND EARNINGS STATEMENT",
            "Leave and Earnings Statement (LES)")
        .issuer(f -> "DFAS")
        .field("NAME (LAST, FIRST, MI)", Forms::upperName)
        .field("GRADE|PAY GRADE", oneOf("E-5", "E-6", "O-3", "W-2", "E-7"))
        .field("PAY DATE", Forms::date)
        .field("YRS SVC", f -> Integer.toString(f.between(2, 22)))
        .field("ENTITLEMENTS BASE PAY", money(2_800, 8_500))
        .field("BAH|BASIC ALLOWANCE FOR HOUSING", money(1_200, 3_800))
        .field("?BAS", money(300, 460))
        .field("DEDUCTIONS FEDERAL TAXES", money(200, 1_200))
        .field("?SGLI", money(25, 31))
        .field("NET AMT", money(2_500, 9_000))
        .note("LEAVE BF BAL ERND USED CR BAL", "REMARKS: YTD ENTITLEMENT", "ETS date");
    spec("income", "tax-transcript")
        .title(
            "Tax Return Transcript",
            "IRS Form 1040 Tax Return Transcript",
            "This Product Contains Sensitive Taxpayer Data - Record of Account Transcript")
        .issuer(f -> "Internal Revenue Service")
        .field("Request Date", Forms::date)
        .field("Tax Period Ending", f -> "Dec. 31, " + year(f))
        .field("SSN Provided", f -> f.ssnMasked())
        .field("Taxpayer name|Name(s) shown on return", Forms::upperName)
        .field("FILING STATUS", oneOf("Single", "Married Filing Joint", "Head of Household"))
        .field("WAGES, SALARIES, TIPS, ETC", money(20_000, 250_000))
        .field("ADJUSTED GROSS INCOME", money(20_000, 260_000))
        .field("TAXABLE INCOME", money(10_000, 230_000))
        .field("?TOTAL TAX LIABILITY TP FIGURES", money(1_000, 50_000))
        .note("Response Date", "Tracking Number: " + "1000", "Form 4506-C request fulfilled");
    spec("income", "child-support-order")
        .title(
            "ORDER FOR CHILD SUPPORT",
            "Final Judgment - Child Support Order",
            "Income Withholding for Support (IWO)")
        .es("Orden de manutención de menores", "Sentencia de pensión alimenticia")
        .issuer(f -> "Superior Court of " + state(f) + ", " + county(f))
        .field("Case number / Número de caso", id("FA-####-######"))
        .field(
            "Obligee (person receiving support)|Custodial parent / Acreedor alimentario",
            Forms::name)
        .field("Obligor|Non-custodial parent / Deudor alimentario", Forms::name)
        .field(
            "Current child support|Monthly support amount / Pensión mensual",
            f -> "$" + f.money(300, 2_500) + " per month")
        .field("?Arrears|Past-due support / Atrasos", money(0, 9_000))
        .field("Effective date / Fecha de vigencia", Forms::date)
        .field("?Number of children / Número de hijos", f -> Integer.toString(f.between(1, 4)))
        .note(
            "Payments shall be made through the State Disbursement Unit.",
            "IT IS SO ORDERED.",
            "This order continues until the child reaches the age of majority.")
        .noteEs(
            "Los pagos se harán a través de la Unidad Estatal de Desembolsos.", "ASÍ SE ORDENA.");
    spec("income", "offer-letter")
        .title("Offer of Employment", "Employment Offer Letter", "Conditional Offer Letter")
        .es("Carta de oferta de empleo")
        .issuer(f -> f.employer() + " Talent Acquisition")
        .field("Candidate|Dear / Estimado(a)", Forms::name)
        .field(
            "Position|Job title / Puesto",
            oneOf(
                "Senior Analyst",
                "Nurse Practitioner",
                "Project Manager",
                "Data Engineer",
                "Store Manager"))
        .field("Start date / Fecha de inicio", Forms::future)
        .field("Annual base salary|Compensation / Salario anual", money(40_000, 210_000))
        .field("?Signing bonus / Bono de firma", money(1_000, 20_000))
        .field(
            "?Employment type / Tipo de empleo",
            oneOf("Full-time, exempt", "Full-time, non-exempt", "Tiempo completo"))
        .note(
            "We are pleased to offer you the position on the terms below.",
            "This offer is contingent upon a background check.",
            "Please sign and return by the date above to accept.")
        .noteEs("Nos complace ofrecerle el puesto en los términos siguientes.");

    // ---- banking
    spec("banking", "brokerage-statement")
        .title(
            "Investment Account Statement",
            "Brokerage Account Statement",
            "Portfolio Summary - Quarterly Statement")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "Charles Schwab & Co.",
                        "Fidelity Brokerage Services",
                        "E*TRADE Securities",
                        "Merrill Edge",
                        "Vanguard Brokerage")))
        .field("Account holder|Account of", Forms::name)
        .field("Account number", Forms::masked)
        .field("Statement period", f -> date(f) + " - " + date(f))
        .field("Beginning account value", money(5_000, 900_000))
        .field("Ending account value|Total account value", money(5_000, 900_000))
        .field("?Cash & cash investments", money(100, 50_000))
        .field("?Dividends and interest", money(0, 8_000))
        .table(
            f ->
                rows(
                    f,
                    "Symbol  Description  Quantity  Price  Market Value",
                    f.between(2, 5),
                    g ->
                        g.pick(List.of("VTI", "AAPL", "MSFT", "SWPPX", "BND", "VXUS"))
                            + "  "
                            + g.between(3, 400)
                            + "  $"
                            + g.money(20, 500)
                            + "  $"
                            + g.money(500, 80_000)))
        .note(
            "Securities are not FDIC insured, not bank guaranteed, may lose value.",
            "Member SIPC.");
    spec("banking", "gift-letter")
        .title("Gift Letter", "Gift Funds Letter", "Donor's Statement of Gift")
        .es("Carta de regalo", "Declaración de donación de fondos")
        .field("Donor name|Name of donor / Nombre del donante", Forms::name)
        .field(
            "Relationship to borrower / Parentesco con el prestatario",
            oneOf("Mother", "Father", "Grandparent", "Sister", "Uncle", "Madre", "Padre"))
        .field("Borrower / Prestatario", Forms::name)
        .field("Amount of gift / Monto del regalo", money(2_000, 80_000))
        .field("Date transferred / Fecha de transferencia", Forms::date)
        .field("Donor's bank|Source of funds / Banco del donante", f -> f.bank())
        .field("Property address / Dirección de la propiedad", Forms::address)
        .note(
            "I hereby certify that this is a gift and no repayment is expected or implied.",
            "The funds were given to the borrower(s) for the purchase of the property above.",
            "Donor signature ______________")
        .noteEs(
            "Certifico que esto es un regalo y no se espera reembolso alguno.",
            "Firma del donante ______________");
    spec("banking", "wire-confirmation")
        .title(
            "Outgoing Wire Transfer Confirmation",
            "Wire Transfer Receipt",
            "Fedwire Funds Transfer - Confirmation")
        .es("Confirmación de transferencia bancaria")
        .issuer(f -> f.bank())
        .field("Originator|Sender / Ordenante", Forms::name)
        .field(
            "Beneficiary|Pay to / Beneficiario",
            f ->
                f.pick(
                    List.of("First American Title Company", "Stewart Title Escrow", f.fullName())))
        .field("Beneficiary bank ABA|Routing number / ABA del banco beneficiario", id("#########"))
        .field("Amount|Wire amount / Monto", money(1_000, 150_000))
        .field("IMAD|Reference / Referencia", id("########AAAAAAAA######"))
        .field("Value date|Sent on / Fecha valor", Forms::date)
        .field(
            "?OBI|Memo / Concepto",
            oneOf("Earnest money", "Closing funds", "Down payment", "Enganche"))
        .note(
            "Wire transfers cannot be cancelled once sent.",
            "Keep this confirmation for your records.");
    spec("banking", "cd-statement")
        .title(
            "Certificate of Deposit Statement", "Time Deposit Account Notice", "CD Renewal Notice")
        .issuer(f -> f.bank())
        .field("Owner", Forms::name)
        .field("Certificate number", id("##########"))
        .field("Principal|Original deposit", money(1_000, 250_000))
        .field(
            "Interest rate|APY",
            f -> String.format(Locale.US, "%.2f%%", 1 + f.rnd().nextDouble() * 4))
        .field("Maturity date", Forms::future)
        .field("Term", oneOf("12 months", "6 months", "24 months", "60 months"))
        .field("?Current balance including interest", money(1_000, 260_000))
        .note(
            "Early withdrawal penalties apply.",
            "Your certificate will renew automatically unless you notify us within the grace period.");
    spec("banking", "money-market-statement")
        .title("Money Market Account Statement", "Money Market Savings - Monthly Statement")
        .issuer(f -> f.bank())
        .field("Account owner", Forms::name)
        .field("Account", Forms::masked)
        .field("Opening balance", money(1_000, 120_000))
        .field("Deposits and credits", money(0, 20_000))
        .field("Withdrawals and debits", money(0, 15_000))
        .field("Interest paid this period", money(1, 400))
        .field("Closing balance", money(1_000, 130_000))
        .table(
            f ->
                rows(
                    f,
                    "Date  Description  Amount  Balance",
                    f.between(2, 6),
                    g ->
                        shortDate(g)
                            + "  "
                            + g.pick(
                                List.of(
                                    "Online transfer from checking",
                                    "Interest credit",
                                    "Transfer to checking",
                                    "Mobile deposit"))
                            + "  "
                            + g.money(10, 5_000)
                            + "  "
                            + g.money(1_000, 120_000)))
        .note("Member FDIC.", "Limited to six withdrawals per statement cycle.");
    spec("banking", "account-verification-letter")
        .title(
            "Account Verification Letter",
            "Bank Reference Letter",
            "Confirmation of Account Balance")
        .es("Constancia de saldo bancario", "Carta de referencia bancaria")
        .issuer(f -> f.bank() + " Branch Services")
        .field("Account holder / Titular de la cuenta", Forms::name)
        .field(
            "Account type / Tipo de cuenta",
            oneOf("Checking", "Savings", "Cuenta de ahorros", "Cuenta de cheques"))
        .field("Account opened / Fecha de apertura", Forms::date)
        .field("Current balance / Saldo actual", money(500, 200_000))
        .field("?Average balance (last 2 months) / Saldo promedio", money(500, 200_000))
        .field("?Account status / Estado", oneOf("Open, in good standing", "Active", "Activa"))
        .note(
            "This letter is provided at the request of our customer.",
            "Verified by: Branch Manager")
        .noteEs("Se expide la presente a solicitud del interesado.");
    spec("banking", "cashiers-check")
        .title("Cashier's Check - Customer Receipt", "Official Check Purchaser Copy")
        .issuer(f -> f.bank())
        .field(
            "Pay to the order of",
            f -> f.pick(List.of("Fidelity National Title", "Old Republic Title", f.fullName())))
        .field("Amount", money(1_000, 120_000))
        .field("Remitter|Purchased by", Forms::name)
        .field("Check number", id("##########"))
        .field("Date issued", Forms::date)
        .field("?Funded from account", Forms::masked)
        .note("NON-NEGOTIABLE  CUSTOMER COPY", "Void after 90 days.");
    spec("banking", "hsa-statement")
        .title("Health Savings Account Statement", "HSA Quarterly Statement")
        .issuer(f -> f.pick(List.of("HealthEquity", "Optum Bank", "Fidelity HSA", "HSA Bank")))
        .field("Account holder", Forms::name)
        .field("Account ID", Forms::masked)
        .field("Beginning balance", money(200, 40_000))
        .field("Contributions", money(0, 4_000))
        .field("Distributions", money(0, 3_000))
        .field("Ending balance", money(200, 42_000))
        .field("?Invested balance", money(0, 30_000))
        .note("HSA funds withdrawn for non-qualified expenses may be taxable.", "Member FDIC.");
    spec("banking", "crypto-statement")
        .title(
            "Account Statement - Digital Assets",
            "Crypto Exchange Account Statement",
            "Transaction History Report")
        .issuer(
            f -> f.pick(List.of("Coinbase, Inc.", "Kraken", "Gemini Trust Company", "Crypto.com")))
        .field("Account holder", Forms::name)
        .field("Report period", f -> date(f) + " to " + date(f))
        .field("Total portfolio value (USD)", money(100, 300_000))
        .field("?USD balance", money(0, 20_000))
        .table(
            f ->
                rows(
                    f,
                    "Asset  Quantity  Price (USD)  Value (USD)",
                    f.between(2, 4),
                    g ->
                        g.pick(List.of("BTC", "ETH", "USDC", "SOL"))
                            + "  "
                            + g.between(1, 40)
                            + "."
                            + g.digits(4)
                            + "  "
                            + g.money(1, 90_000)
                            + "  "
                            + g.money(10, 90_000)))
        .note(
            "Digital assets are not deposits and are not FDIC insured.",
            "Prices are indicative as of the end of the period.");
    spec("banking", "earnest-money-receipt")
        .title(
            "Earnest Money Deposit Receipt",
            "Receipt of Escrow Deposit",
            "Good Faith Deposit Receipt")
        .es("Recibo de depósito de arras")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "First American Title",
                        "Chicago Title",
                        "Fidelity National Title",
                        "Escrow of the West")))
        .field("Received from|Buyer / Recibido de", Forms::name)
        .field("Amount received / Monto recibido", money(1_000, 40_000))
        .field("Escrow number|File no. / Número de depósito", id("##-#####-AA"))
        .field("Property / Propiedad", Forms::address)
        .field(
            "Form of payment / Forma de pago",
            oneOf("Wire", "Cashier's check", "Personal check", "Transferencia"))
        .field("Date / Fecha", Forms::date)
        .note(
            "Funds will be held in escrow pending closing.",
            "Receipt does not constitute acceptance of any contract.");
    spec("banking", "transaction-history")
        .title(
            "Account Activity",
            "Transaction History - Printed from Online Banking",
            "Recent Transactions")
        .es("Movimientos de la cuenta", "Estado de cuenta - movimientos")
        .issuer(f -> f.bank())
        .field("Account / Cuenta", f -> "Everyday Checking " + masked(f))
        .field("Available balance / Saldo disponible", money(100, 40_000))
        .field("?Current balance / Saldo actual", money(100, 40_000))
        .table(
            f ->
                rows(
                    f,
                    "Posted  Description  Debit  Credit  Balance",
                    f.between(5, 12),
                    g ->
                        shortDate(g)
                            + "  "
                            + g.pick(
                                List.of(
                                    "PAYROLL DIRECT DEP",
                                    "ZELLE TO",
                                    "POS PURCHASE",
                                    "ATM WITHDRAWAL",
                                    "ACH DEBIT UTILITY",
                                    "MOBILE CHECK DEPOSIT",
                                    "DEPOSITO NOMINA"))
                            + "  "
                            + g.money(5, 4_000)
                            + "  "
                            + g.money(100, 40_000)))
        .note("Pending transactions may not be reflected.", "Printed on " + "request");

    // ---- identity
    spec("identity", "birth-certificate")
        .title(
            "CERTIFICATE OF LIVE BIRTH", "Certified Copy of Birth Record", "CERTIFICATION OF BIRTH")
        .es("ACTA DE NACIMIENTO", "Copia certificada del acta de nacimiento")
        .issuer(f -> "State of " + state(f) + " Department of Health - Office of Vital Records")
        .issuer(f -> "Registro Civil - Estados Unidos Mexicanos")
        .field("Child's name|Name of registrant / Nombre del registrado", Forms::name)
        .field("Date of birth / Fecha de nacimiento", Forms::birthDate)
        .field(
            "Place of birth|City, County of birth / Lugar de nacimiento",
            f -> f.city()[0] + ", " + county(f))
        .field("Sex / Sexo", oneOf("Male", "Female", "M", "F"))
        .field("Mother's maiden name|Mother / Nombre de la madre", Forms::name)
        .field("?Father's name / Nombre del padre", Forms::name)
        .field("State file number|Certificate no. / Número de acta", id("###-##-######"))
        .field("?Date filed / Fecha de registro", Forms::birthDate)
        .note(
            "This is a true and correct copy of the record on file.",
            "Void if altered. Raised seal.",
            "Registrar")
        .noteEs(
            "Se certifica que la presente es copia fiel del acta que obra en el archivo.",
            "Oficial del Registro Civil");
    spec("identity", "social-security-card")
        .title("SOCIAL SECURITY", "Social Security card", "SOCIAL SECURITY ADMINISTRATION")
        .field("THIS NUMBER HAS BEEN ESTABLISHED FOR", Forms::upperName)
        .field("Number", f -> "XXX-XX-" + f.digits(4))
        .field("?Signature", Forms::name)
        .note(
            "UNITED STATES OF AMERICA",
            "VALID FOR WORK ONLY WITH DHS AUTHORIZATION",
            "Do not laminate.");
    spec("identity", "ead-card")
        .title("EMPLOYMENT AUTHORIZATION CARD", "Employment Authorization Document (Form I-766)")
        .issuer(f -> "UNITED STATES OF AMERICA - U.S. Citizenship and Immigration Services")
        .field("Surname", f -> f.last().toUpperCase(Locale.ROOT))
        .field("Given Name", f -> f.first().toUpperCase(Locale.ROOT))
        .field("USCIS#", id("###-###-###"))
        .field("Category", oneOf("C09", "C08", "A05", "C33", "A12"))
        .field("Card#", id("SRC##########"))
        .field("Country of Birth", oneOf("Mexico", "India", "Guatemala", "Philippines", "Honduras"))
        .field("Date of Birth", Forms::birthDate)
        .field("Valid From", Forms::date)
        .field("Card Expires", Forms::future)
        .note("NOT VALID FOR REENTRY TO U.S.", "Terms and Conditions: none");
    spec("identity", "permanent-resident-card")
        .title("PERMANENT RESIDENT", "Permanent Resident Card (Form I-551)", "Green Card")
        .issuer(f -> "UNITED STATES OF AMERICA")
        .field("Surname", f -> f.last().toUpperCase(Locale.ROOT))
        .field("Given Name", f -> f.first().toUpperCase(Locale.ROOT))
        .field("USCIS#", id("###-###-###"))
        .field("Category", oneOf("IR1", "F21", "E21", "CR6", "DV1"))
        .field(
            "Country of Birth",
            oneOf("Mexico", "China", "Vietnam", "El Salvador", "Dominican Republic"))
        .field("Date of Birth", Forms::birthDate)
        .field("Resident Since", Forms::date)
        .field("Card Expires", Forms::future)
        .note("C1USA" + "<<<<<<<<<", "Lawful permanent resident of the United States");
    spec("identity", "matricula-consular")
        .title("MATRÍCULA CONSULAR DE ALTA SEGURIDAD", "Matricula Consular (consular ID card)")
        .es("MATRÍCULA CONSULAR", "Matrícula Consular de Alta Seguridad - MCAS")
        .issuer(f -> "Consulado General de México en " + f.city()[0])
        .issuer(f -> "SECRETARÍA DE RELACIONES EXTERIORES")
        .field("Nombre|Name / Nombre", Forms::name)
        .field("Fecha de nacimiento|Date of birth / Fecha de nacimiento", Forms::birthDate)
        .field(
            "Lugar de nacimiento|Place of birth / Lugar de nacimiento",
            oneOf("Jalisco", "Michoacán", "Oaxaca", "Puebla", "Guanajuato"))
        .field("Domicilio en el exterior|Address in the U.S. / Domicilio", Forms::address)
        .field("Número de matrícula|ID number / Número", id("##########"))
        .field("Expedición|Issued / Fecha de expedición", Forms::date)
        .field("Vencimiento|Expires / Vencimiento", Forms::future)
        .note(
            "ESTADOS UNIDOS MEXICANOS", "Identificación consular; no acredita estatus migratorio.")
        .noteEs(
            "ESTADOS UNIDOS MEXICANOS",
            "Este documento no acredita nacionalidad ni estatus migratorio.");
    spec("identity", "military-id")
        .title(
            "UNIFORMED SERVICES ID CARD",
            "Common Access Card (CAC)",
            "Department of Defense Identification Card")
        .issuer(
            f -> "UNITED STATES " + f.pick(List.of("ARMY", "NAVY", "AIR FORCE", "MARINE CORPS")))
        .field("Name", Forms::upperName)
        .field("Pay Grade|Rank", oneOf("E5", "O3", "E7", "W2", "SGT", "LT"))
        .field("DoD ID Number", id("##########"))
        .field("Issue Date", Forms::date)
        .field("Expiration Date", Forms::future)
        .field("?Blood type", oneOf("O POS", "A NEG", "B POS"))
        .note("Geneva Conventions Identification Card", "Property of the U.S. Government");
    spec("identity", "naturalization-certificate")
        .title("CERTIFICATE OF NATURALIZATION", "Certificate of Citizenship (Form N-560)")
        .issuer(f -> "THE UNITED STATES OF AMERICA - Department of Homeland Security")
        .field("Name", Forms::name)
        .field("Certificate No.", id("########"))
        .field("USCIS Registration No.", id("A#########"))
        .field("Date of birth", Forms::birthDate)
        .field("Former nationality", oneOf("Mexico", "India", "Philippines", "Cuba", "Canada"))
        .field("Date of naturalization|Became a citizen on", Forms::date)
        .field("?Place", f -> f.city()[0] + ", " + state(f))
        .note(
            "Be it known that the person named above has complied with all requirements of law.",
            "It is punishable by U.S. law to copy, print or photograph this certificate.");
    spec("identity", "visa-foil")
        .title("UNITED STATES OF AMERICA VISA", "Nonimmigrant Visa")
        .issuer(
            f ->
                "U.S. Department of State - Issuing Post "
                    + f.pick(List.of("MEXICO CITY", "MUMBAI", "MANILA", "BOGOTA")))
        .field("Surname", f -> f.last().toUpperCase(Locale.ROOT))
        .field("Given Name", f -> f.first().toUpperCase(Locale.ROOT))
        .field("Visa Type/Class", oneOf("R H1B", "R L1A", "R E2", "R F1"))
        .field("Passport Number", id("A########"))
        .field("Control Number", id("##############"))
        .field("Issue Date", Forms::date)
        .field("Expiration Date", Forms::future)
        .field("Entries", oneOf("M", "1", "2"))
        .note("VNUSA" + "<<<<<<", "Annotation: PETITION RECEIPT NUMBER");
    spec("identity", "itin-letter")
        .title(
            "Notice CP565 - We assigned you an Individual Taxpayer Identification Number (ITIN)",
            "ITIN Assignment Letter")
        .es(
            "Aviso CP565 - Le asignamos un número de identificación personal del contribuyente (ITIN)")
        .issuer(f -> "Department of the Treasury, Internal Revenue Service, Austin TX")
        .field("Notice date / Fecha del aviso", Forms::date)
        .field("Taxpayer|Name / Nombre", Forms::name)
        .field("ITIN|Your ITIN / Su ITIN", f -> "9XX-" + f.between(70, 99) + "-" + f.digits(4))
        .field("?Address / Dirección", Forms::address)
        .note("Keep this notice for your records.", "Your ITIN is for federal tax purposes only.")
        .noteEs(
            "Conserve este aviso para sus registros.",
            "Su ITIN es solo para fines tributarios federales.");
    spec("identity", "tribal-id")
        .title(
            "TRIBAL IDENTIFICATION CARD",
            "Tribal Enrollment Card",
            "Certificate of Degree of Indian Blood")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "Navajo Nation",
                        "Cherokee Nation",
                        "Muscogee (Creek) Nation",
                        "Tohono O'odham Nation")))
        .field("Name", Forms::name)
        .field("Enrollment No.", id("######"))
        .field("Date of birth", Forms::birthDate)
        .field("?Address", Forms::address)
        .field("Issued", Forms::date)
        .field("?Expires", Forms::future)
        .note("Official identification of an enrolled member.", "Tribal Enrollment Office");
    spec("identity", "foreign-passport")
        .title("PASAPORTE", "PASSPORT / PASAPORTE")
        .es("PASAPORTE", "ESTADOS UNIDOS MEXICANOS PASAPORTE")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "ESTADOS UNIDOS MEXICANOS",
                        "REPÚBLICA DE COLOMBIA",
                        "REPÚBLICA DE GUATEMALA",
                        "REINO DE ESPAÑA")))
        .field("Tipo|Type / Tipo", oneOf("P"))
        .field("Clave del país|Country code / Código del país", oneOf("MEX", "COL", "GTM", "ESP"))
        .field("Pasaporte No.|Passport No. / Pasaporte No.", id("G########"))
        .field("Apellidos|Surname / Apellidos", f -> f.last().toUpperCase(Locale.ROOT))
        .field("Nombres|Given names / Nombres", f -> f.first().toUpperCase(Locale.ROOT))
        .field("Fecha de nacimiento|Date of birth / Fecha de nacimiento", Forms::birthDate)
        .field("Fecha de expedición|Date of issue / Fecha de expedición", Forms::date)
        .field("Fecha de caducidad|Date of expiry / Fecha de caducidad", Forms::future)
        .note("P<MEX" + "<<<<<<<<<<<<<<<<", "Firma del titular / Holder's signature");

    // ---- property
    spec("property", "hoa-statement")
        .title(
            "Homeowners Association Statement",
            "HOA Dues Statement",
            "Assessment Statement of Account")
        .es("Estado de cuenta de la asociación de propietarios")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "Sunset Ridge Homeowners Association",
                        "Lakeview Condominium Association",
                        "Oak Park HOA",
                        "Desert Vista Community Association")))
        .field("Owner / Propietario", Forms::name)
        .field("Property address|Unit / Propiedad", Forms::address)
        .field("Regular assessment|Monthly dues / Cuota mensual", money(80, 900))
        .field("?Special assessment / Cuota extraordinaria", money(0, 5_000))
        .field("Balance due / Saldo pendiente", money(0, 3_000))
        .field("Due date / Fecha de vencimiento", Forms::date)
        .note(
            "Late fees apply after the 15th.",
            "Make checks payable to the Association.",
            "Managed by Premier Community Management")
        .noteEs("Se aplican recargos después del día 15.");
    spec("property", "flood-determination")
        .title(
            "STANDARD FLOOD HAZARD DETERMINATION FORM (SFHDF)",
            "Flood Zone Determination",
            "Life of Loan Flood Certification")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "CoreLogic Flood Services",
                        "ServiceLink National Flood",
                        "First American Flood Data Services")))
        .field("Lender|Lender ID", f -> f.bank())
        .field("Collateral property address", Forms::address)
        .field("NFIP community name", f -> f.city()[0])
        .field("NFIP community number", id("######"))
        .field("Map panel number", id("#####C####A"))
        .field("Flood zone", oneOf("X", "AE", "A", "VE", "X500"))
        .field("Is building in special flood hazard area", oneOf("YES", "NO"))
        .field(
            "?Federal flood insurance availability", oneOf("Regular program", "Emergency program"))
        .note("This determination is based on examining the NFIP map.", "FEMA Form 086-0-32");
    spec("property", "survey")
        .title(
            "BOUNDARY SURVEY",
            "Plat of Survey",
            "ALTA/NSPS Land Title Survey",
            "Mortgage Inspection Report / Survey")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "Precision Land Surveying, Inc.",
                        "Benchmark Surveyors LLC",
                        "Meridian Geomatics")))
        .field("Property address", Forms::address)
        .field(
            "Legal description",
            f ->
                "Lot "
                    + f.between(1, 60)
                    + ", Block "
                    + f.between(1, 20)
                    + ", "
                    + f.pick(List.of("Sunrise Estates", "Hidden Valley", "Cedar Grove"))
                    + " subdivision")
        .field("Flood zone|FIRM panel", oneOf("Zone X", "Zone AE"))
        .field("Area", f -> f.between(4_000, 40_000) + " sq. ft.")
        .field("?Encroachments", oneOf("None observed", "Fence encroaches 0.4 ft onto easement"))
        .field("Field work date|Date of survey", Forms::date)
        .field(
            "Surveyor|Professional Land Surveyor", f -> f.fullName() + ", PLS No. " + f.digits(5))
        .note(
            "Bearings based on recorded plat.",
            "Certified to: Buyer, Lender and Title Company",
            "N 89°12'04\" E  120.00'");
    spec("property", "home-inspection")
        .title(
            "Home Inspection Report",
            "Property Inspection Report",
            "General Home Inspection - Summary")
        .es("Informe de inspección de la vivienda")
        .issuer(
            f ->
                f.pick(
                    List.of("Pillar To Post", "HouseMaster", "AmeriSpec", "WIN Home Inspection")))
        .field("Property inspected / Propiedad inspeccionada", Forms::address)
        .field("Client / Cliente", Forms::name)
        .field("Inspection date / Fecha de inspección", Forms::date)
        .field("Year built / Año de construcción", f -> Integer.toString(f.between(1950, 2022)))
        .field(
            "Roof / Techo",
            oneOf(
                "Asphalt shingle, 10-15 years remaining life",
                "Tile, serviceable",
                "Near end of service life"))
        .field(
            "Electrical / Sistema eléctrico",
            oneOf(
                "200 amp panel, no defects",
                "Double-tapped breaker noted",
                "Ungrounded outlets in bedrooms"))
        .field(
            "?Plumbing / Plomería",
            oneOf("Functional", "Active leak under kitchen sink", "Water heater 12 years old"))
        .field("?HVAC", oneOf("Operational", "Service recommended"))
        .note(
            "This report is not a warranty.",
            "Items marked SAFETY should be addressed prior to closing.")
        .noteEs("Este informe no constituye una garantía.");
    spec("property", "lease-agreement")
        .title("RESIDENTIAL LEASE AGREEMENT", "Rental Agreement", "Lease for Residential Property")
        .es("CONTRATO DE ARRENDAMIENTO", "Contrato de arrendamiento de vivienda")
        .field("Landlord|Lessor / Arrendador", Forms::name)
        .field("Tenant|Lessee / Arrendatario", Forms::name)
        .field("Premises|Property address / Inmueble", Forms::address)
        .field(
            "Term|Lease term / Plazo",
            oneOf("12 months", "24 months", "month-to-month", "12 meses"))
        .field("Commencement date / Fecha de inicio", Forms::date)
        .field("Monthly rent / Renta mensual", money(700, 5_500))
        .field("Security deposit / Depósito en garantía", money(500, 6_000))
        .field("?Late charge / Recargo por mora", money(25, 150))
        .note(
            "Tenant shall pay rent on the first day of each month.",
            "Landlord and Tenant agree to the terms above.")
        .noteEs(
            "El arrendatario pagará la renta el primer día de cada mes.",
            "Ambas partes aceptan los términos anteriores.");
    spec("property", "mortgage-statement")
        .title("Mortgage Statement", "Monthly Mortgage Statement", "Home Loan Billing Statement")
        .es("Estado de cuenta hipotecario")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "Rocket Mortgage",
                        "Mr. Cooper",
                        "Wells Fargo Home Mortgage",
                        "PennyMac Loan Services")))
        .field("Borrower / Prestatario", Forms::name)
        .field("Loan number / Número de préstamo", Forms::masked)
        .field("Property address / Propiedad", Forms::address)
        .field("Outstanding principal / Saldo de capital", money(40_000, 700_000))
        .field(
            "Interest rate / Tasa de interés",
            f -> String.format(Locale.US, "%.3f%%", 2.5 + f.rnd().nextDouble() * 5))
        .field("Escrow balance / Saldo de depósito", money(0, 6_000))
        .field("Amount due / Monto a pagar", money(700, 5_000))
        .field("Payment due date / Fecha de pago", Forms::date)
        .note(
            "If payment is received after the 15th, a late fee will be charged.",
            "Past payments breakdown: principal, interest, escrow.");
    spec("property", "payoff-letter")
        .title("Payoff Statement", "Mortgage Payoff Quote", "Payoff Letter")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "Mr. Cooper",
                        "LoanDepot Servicing",
                        "Chase Home Lending",
                        "Flagstar Bank")))
        .field("Borrower(s)", Forms::name)
        .field("Property", Forms::address)
        .field("Unpaid principal balance", money(20_000, 600_000))
        .field("Interest through payoff date", money(100, 4_000))
        .field("Total amount to pay off", money(20_000, 610_000))
        .field("Good through", Forms::future)
        .field("Per diem interest", money(3, 120))
        .note(
            "Wire funds to the account below; include the loan number.",
            "Figures are subject to final verification by the note holder.");
    spec("property", "closing-disclosure")
        .title(
            "Closing Disclosure",
            "ALTA Settlement Statement - Combined",
            "Final Settlement Statement")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "First American Title", "Stewart Title", "Old Republic National Title")))
        .field("Closing date", Forms::date)
        .field("Property", Forms::address)
        .field("Sale price", money(120_000, 1_400_000))
        .field("Loan amount", money(90_000, 1_000_000))
        .field("Loan term", oneOf("30 years", "15 years", "20 years"))
        .field("Cash to close", money(2_000, 300_000))
        .field("?Seller credits", money(0, 15_000))
        .note(
            "This form is a statement of final loan terms and closing costs.",
            "Projected payments: principal & interest, mortgage insurance, estimated escrow.");
    spec("property", "condo-questionnaire")
        .title(
            "Condominium Project Questionnaire",
            "Condo Questionnaire (Form 1076)",
            "HOA Certification for Lender")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "Harbor Point Condominium Association", "The Residences at Main Street")))
        .field(
            "Project name", f -> f.pick(List.of("Harbor Point", "Maple Court", "Riverwalk Lofts")))
        .field("Total units", f -> Integer.toString(f.between(20, 400)))
        .field("Units sold|Owner-occupied units", f -> Integer.toString(f.between(10, 380)))
        .field("Units 60+ days delinquent", f -> Integer.toString(f.between(0, 12)))
        .field("Is the project subject to litigation", oneOf("No", "Yes - see attached"))
        .field(
            "Master insurance policy|Hazard coverage",
            oneOf("Replacement cost, $25,000 deductible", "Walls-in coverage"))
        .field("?Commercial space (%)", f -> f.between(0, 25) + "%")
        .note(
            "Completed by the management company.",
            "Lenders rely on these answers for project eligibility.");
    spec("property", "termite-report")
        .title("Wood Destroying Insect Inspection Report", "Termite Inspection Report (NPMA-33)")
        .issuer(f -> f.pick(List.of("Orkin", "Terminix", "Truly Nolen", "Arrow Exterminators")))
        .field("Property inspected", Forms::address)
        .field("Date of inspection", Forms::date)
        .field(
            "Visible evidence of wood destroying insects",
            oneOf("No visible evidence observed", "Evidence of previous infestation observed"))
        .field("?Treatment recommended", oneOf("None", "Subterranean termite treatment"))
        .field("Inspector|License no.", f -> f.fullName() + ", Lic. " + f.digits(6))
        .note(
            "This is not a structural damage report.",
            "Inaccessible areas: crawlspace, behind stored items.");

    // ---- other
    spec("other", "airline-itinerary")
        .title("Your Trip Confirmation", "Electronic Ticket Itinerary/Receipt", "Flight Itinerary")
        .es("Confirmación de vuelo", "Itinerario de viaje")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "Delta Air Lines", "United Airlines", "Southwest Airlines", "Aeroméxico")))
        .field("Passenger / Pasajero", Forms::name)
        .field("Confirmation code / Código de reserva", id("AAAAAA"))
        .field("Flight / Vuelo", f -> f.letters(2) + " " + f.between(100, 2_999))
        .field(
            "Departs / Salida",
            f -> f.pick(List.of("PHX", "ORD", "LAX", "JFK", "MEX")) + " " + date(f))
        .field("Arrives / Llegada", f -> f.pick(List.of("SEA", "ATL", "DEN", "GDL")))
        .field("?Seat / Asiento", id("##A"))
        .field("Fare total / Tarifa total", money(90, 1_400))
        .note("Check in online 24 hours before departure.", "Baggage fees may apply.");
    spec("other", "restaurant-receipt")
        .title("GUEST CHECK", "Receipt", "Thank you for dining with us")
        .es("Recibo de consumo", "Ticket de venta")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "Olive Garden #1123",
                        "La Parrilla Grill",
                        "Blue Moon Diner",
                        "Taquería El Sol")))
        .field("Server / Mesero", f -> f.first())
        .field("Table / Mesa", f -> Integer.toString(f.between(1, 40)))
        .field("Subtotal", money(12, 180))
        .field("Tax / IVA", money(1, 15))
        .field("Tip / Propina", money(0, 40))
        .field("Total", money(15, 230))
        .field("?Card / Tarjeta", f -> "VISA " + masked(f))
        .note("Please come again!", "Gratuity not included.")
        .noteEs("¡Gracias por su visita!");
    spec("other", "school-report-card")
        .title("Student Progress Report", "Report Card", "Quarterly Grade Report")
        .issuer(f -> f.city()[0] + " Unified School District")
        .field("Student", Forms::name)
        .field("Grade", oneOf("3", "5", "7", "10"))
        .field("Teacher|Homeroom", Forms::name)
        .field("Reading", oneOf("A", "B+", "Meets standard"))
        .field("Mathematics", oneOf("A-", "B", "Approaching standard"))
        .field("Attendance|Days absent", f -> Integer.toString(f.between(0, 9)))
        .note("Parent signature ____________", "Conference requested: No");
    spec("other", "jury-summons")
        .title("SUMMONS FOR JURY SERVICE", "Jury Duty Summons", "Notice to Report for Jury Service")
        .issuer(f -> "Superior Court of " + state(f) + ", " + county(f))
        .field("Juror", Forms::name)
        .field("Juror number|Participant ID", id("#########"))
        .field("Report date", Forms::future)
        .field("Report time", oneOf("8:00 AM", "8:30 AM", "1:00 PM"))
        .field("Location|Courthouse", Forms::address)
        .note(
            "Failure to appear may result in a fine.",
            "Call the juror line the evening before your report date.");
    spec("other", "pet-vaccination")
        .title(
            "Rabies Vaccination Certificate",
            "Pet Vaccination Record",
            "Veterinary Health Certificate")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "Banfield Pet Hospital",
                        "VCA Animal Hospital",
                        "Happy Paws Veterinary Clinic")))
        .field("Owner", Forms::name)
        .field("Pet name", oneOf("Max", "Luna", "Bella", "Rocky", "Coco"))
        .field(
            "Species / breed",
            oneOf("Canine / Labrador", "Feline / Domestic shorthair", "Canine / Beagle"))
        .field("Vaccine|Product", oneOf("Rabies 3-year", "DHPP", "FVRCP"))
        .field("Date given", Forms::date)
        .field("Next due", Forms::future)
        .note("Veterinarian signature", "Keep this certificate for licensing.");
    spec("other", "product-warranty")
        .title("Limited Warranty", "Product Registration Confirmation", "Extended Protection Plan")
        .issuer(
            f ->
                f.pick(
                    List.of(
                        "Samsung Electronics America",
                        "Whirlpool Corporation",
                        "Best Buy Geek Squad",
                        "LG Electronics")))
        .field("Customer", Forms::name)
        .field(
            "Product|Model",
            oneOf("Refrigerator RF28", "Washer WTW5000", "65\" QLED TV", "Dishwasher DW80"))
        .field("Serial number", id("AA########"))
        .field("Purchase date", Forms::date)
        .field(
            "Coverage term",
            oneOf("1 year parts and labor", "3 years", "5 years accidental damage"))
        .field("?Plan price", money(40, 400))
        .note(
            "This warranty does not cover misuse or commercial use.",
            "Keep your receipt as proof of purchase.");
    spec("other", "gym-membership")
        .title("Membership Agreement", "Fitness Club Membership Receipt")
        .es("Contrato de membresía")
        .issuer(
            f ->
                f.pick(
                    List.of("Planet Fitness", "24 Hour Fitness", "LA Fitness", "Anytime Fitness")))
        .field("Member / Socio", Forms::name)
        .field("Plan", oneOf("Black Card", "Classic", "Plan básico", "Family add-on"))
        .field("Monthly dues / Cuota mensual", money(10, 80))
        .field("Enrollment fee / Inscripción", money(0, 99))
        .field("Start date / Fecha de inicio", Forms::date)
        .note("Cancellation requires 30 days' written notice.", "Annual fee billed in March.");
    spec("other", "parking-citation")
        .title("NOTICE OF PARKING VIOLATION", "Parking Citation", "Municipal Parking Ticket")
        .es("Multa de estacionamiento")
        .issuer(f -> "City of " + f.city()[0] + " Parking Enforcement")
        .field("Citation no. / Folio", id("#########"))
        .field("Plate / Placa", id("AAA####"))
        .field(
            "Violation / Infracción",
            oneOf(
                "Expired meter", "No parking zone", "Street cleaning", "Estacionamiento prohibido"))
        .field("Location / Ubicación", f -> f.street())
        .field("Date and time / Fecha y hora", Forms::date)
        .field("Fine / Multa", money(35, 150))
        .note("Pay online or contest within 21 days.", "Late penalties double the fine.");
  }

  /** Every form kind as a template. */
  static List<Templates.Template> templates() {
    return SPECS.stream().map(Spec::template).toList();
  }

  private Forms() {}
}
