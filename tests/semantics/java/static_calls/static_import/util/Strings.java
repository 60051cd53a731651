package util;

public final class Strings {
    private Strings() { }

    public static String slug(String s) { return lower(s).trim(); }

    static String lower(String s) { return s.toLowerCase(); }
}
