package ui;

public interface Handler {
    void onEvent();
}
