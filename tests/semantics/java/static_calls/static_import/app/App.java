package app;

import util.Strings;

import static util.Strings.slug;

public class App {
    String a(String s) { return Strings.slug(s); }

    String b(String s) { return slug(s); }

    String c(String s) { return Math.max(1, 2) + String.valueOf(s); }
}
