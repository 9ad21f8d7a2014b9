package dev.agentyard.tools.corpus;

import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Deterministic fake values for synthetic documents: names, places, employers, amounts, dates, ids.
 */
final class Fakes {

  static final List<String> FIRST =
      List.of(
          "James",
          "Maria",
          "Wei",
          "Aisha",
          "Olivia",
          "Mohammed",
          "Sofia",
          "Liam",
          "Priya",
          "Noah",
          "Chen",
          "Fatima",
          "Lucas",
          "Emma",
          "Diego",
          "Hannah",
          "Kwame",
          "Yuki",
          "Elena",
          "Jamal",
          "Ana",
          "Oskar",
          "Mei",
          "Rahul",
          "Chloé",
          "Tomás",
          "Ingrid",
          "Samuel",
          "Leila",
          "Nikolai",
          "Grace",
          "Mateo",
          "Zanele",
          "Hiroshi",
          "Isabela",
          "Patrick",
          "Amara",
          "Jonas",
          "Lucía",
          "Dmitri",
          "Nora",
          "Kofi",
          "Sara",
          "Ahmed",
          "Julia",
          "Ravi",
          "Camille",
          "Ethan");
  static final List<String> LAST =
      List.of(
          "Smith",
          "Garcia",
          "Nguyen",
          "Okafor",
          "Müller",
          "Johnson",
          "Kowalski",
          "Haddad",
          "Rossi",
          "Kim",
          "Patel",
          "O'Brien",
          "Fernández",
          "Larsen",
          "Ivanova",
          "Mensah",
          "Tanaka",
          "Dubois",
          "Silva",
          "Cohen",
          "Andersson",
          "Williams",
          "Brown",
          "Hernández",
          "Nakamura",
          "Schmidt",
          "Singh",
          "Moreau",
          "Jansen",
          "Novak",
          "Al-Farsi",
          "Popescu",
          "Walker",
          "Lopez",
          "Chowdhury",
          "Murphy",
          "Santos",
          "Bianchi",
          "Yilmaz",
          "Evans",
          "Costa",
          "Sato");
  static final List<String> STREETS =
      List.of(
          "Maple Ave",
          "Oak Street",
          "Elm Drive",
          "Cedar Lane",
          "Harbor Blvd",
          "Pine Court",
          "Washington St",
          "Lakeview Rd",
          "Sunset Blvd",
          "Riverside Dr",
          "Park Place",
          "Highland Ave",
          "Mill Road",
          "Church St",
          "Willow Way",
          "Broadway",
          "Chestnut St",
          "Meadow Lane",
          "Forest Hills Dr",
          "Main Street");
  static final List<String[]> CITIES =
      List.of(
          new String[] {"Springfield", "IL", "62704"},
          new String[] {"Austin", "TX", "78701"},
          new String[] {"Portland", "OR", "97205"},
          new String[] {"Columbus", "OH", "43215"},
          new String[] {"Denver", "CO", "80202"},
          new String[] {"Raleigh", "NC", "27601"},
          new String[] {"Phoenix", "AZ", "85004"},
          new String[] {"Madison", "WI", "53703"},
          new String[] {"Tampa", "FL", "33602"},
          new String[] {"Sacramento", "CA", "95814"},
          new String[] {"Albany", "NY", "12207"},
          new String[] {"Boise", "ID", "83702"},
          new String[] {"Richmond", "VA", "23219"},
          new String[] {"Omaha", "NE", "68102"});
  static final List<String> EMPLOYERS =
      List.of(
          "Acme Manufacturing Inc",
          "Northwind Logistics LLC",
          "Globex Corporation",
          "Initech Software",
          "Blue Ridge Health System",
          "Cascade Foods Co",
          "Summit Engineering Group",
          "Riverbend School District",
          "Pinnacle Retail Partners",
          "Harborview Hospital",
          "Lumen Analytics Inc",
          "Redwood Construction LLC",
          "Atlas Freight Lines",
          "Silverline Insurance Co",
          "Evergreen Dental Associates",
          "Metro Transit Authority");
  static final List<String> BANKS =
      List.of(
          "First National Bank",
          "Cascade Credit Union",
          "Union Savings Bank",
          "Keystone Bank",
          "Heritage Federal Credit Union",
          "Lakeshore Community Bank",
          "Pacific Trust Bank",
          "Commonwealth Bank & Trust",
          "Prairie State Bank",
          "Atlantic Federal Savings");
  static final List<String> MERCHANTS =
      List.of(
          "GROCERY OUTLET",
          "SHELL OIL",
          "AMAZON MKTPL",
          "CITY WATER UTIL",
          "NETFLIX.COM",
          "TARGET T-1234",
          "COSTCO WHSE",
          "UBER TRIP",
          "STARBUCKS",
          "HOME DEPOT",
          "CVS PHARMACY",
          "SPOTIFY",
          "COMCAST CABLE",
          "TRADER JOES",
          "CHEVRON",
          "WALGREENS",
          "DELTA AIR",
          "PG&E WEB PAYMENT",
          "STATE FARM INS",
          "VERIZON WIRELESS",
          "ZELLE TO J SMITH",
          "VENMO PAYMENT",
          "ATM WITHDRAWAL",
          "CHECK #1043",
          "RENT PAYMENT ONLINE",
          "GYM MEMBERSHIP");
  static final List<String> STATES =
      List.of(
          "CALIFORNIA",
          "TEXAS",
          "NEW YORK",
          "FLORIDA",
          "OHIO",
          "COLORADO",
          "OREGON",
          "ILLINOIS",
          "VIRGINIA",
          "ARIZONA",
          "WISCONSIN",
          "NORTH CAROLINA");
  static final List<String> COUNTRIES =
      List.of(
          "USA|UNITED STATES OF AMERICA",
          "CAN|CANADA",
          "GBR|UNITED KINGDOM",
          "DEU|GERMANY",
          "FRA|FRANCE",
          "IRL|IRELAND",
          "MEX|MEXICO",
          "IND|INDIA",
          "NLD|NETHERLANDS",
          "ESP|SPAIN");

  private final Random rnd;

  Fakes(Random rnd) {
    this.rnd = rnd;
  }

  Random rnd() {
    return rnd;
  }

  <T> T pick(List<T> list) {
    return list.get(rnd.nextInt(list.size()));
  }

  boolean chance(double p) {
    return rnd.nextDouble() < p;
  }

  int between(int lo, int hi) {
    return lo + rnd.nextInt(hi - lo + 1);
  }

  String first() {
    return pick(FIRST);
  }

  String last() {
    return pick(LAST);
  }

  String fullName() {
    return chance(0.2)
        ? first() + " " + (char) ('A' + rnd.nextInt(26)) + ". " + last()
        : first() + " " + last();
  }

  String street() {
    return between(12, 9899) + " " + pick(STREETS) + (chance(0.25) ? " Apt " + between(1, 40) : "");
  }

  String[] city() {
    return pick(CITIES);
  }

  String cityLine() {
    String[] c = city();
    return c[0] + ", " + c[1] + " " + c[2];
  }

  String employer() {
    return pick(EMPLOYERS);
  }

  String bank() {
    return pick(BANKS);
  }

  String digits(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(rnd.nextInt(10));
    }
    return b.toString();
  }

  String letters(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append((char) ('A' + rnd.nextInt(26)));
    }
    return b.toString();
  }

  String ssnMasked() {
    return "XXX-XX-" + digits(4);
  }

  String ein() {
    return digits(2) + "-" + digits(7);
  }

  /** A dollar amount between lo and hi, formatted 12,345.67. */
  String money(double lo, double hi) {
    return money(lo + rnd.nextDouble() * (hi - lo));
  }

  static String money(double v) {
    return String.format(Locale.US, "%,.2f", v);
  }

  double amount(double lo, double hi) {
    return Math.round((lo + rnd.nextDouble() * (hi - lo)) * 100) / 100.0;
  }

  LocalDate date(int fromYear, int toYear) {
    return LocalDate.of(between(fromYear, toYear), between(1, 12), between(1, 28));
  }

  String usDate(LocalDate d) {
    return String.format(
        Locale.US, "%02d/%02d/%04d", d.getMonthValue(), d.getDayOfMonth(), d.getYear());
  }

  String longDate(LocalDate d) {
    return d.getMonth().getDisplayName(TextStyle.FULL, Locale.US)
        + " "
        + d.getDayOfMonth()
        + ", "
        + d.getYear();
  }

  String anyDate(LocalDate d) {
    return switch (rnd.nextInt(3)) {
      case 0 -> usDate(d);
      case 1 -> longDate(d);
      default -> d.toString();
    };
  }
}
