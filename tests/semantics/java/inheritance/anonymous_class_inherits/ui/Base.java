package ui;

public class Base {
    protected void help() { }
}
