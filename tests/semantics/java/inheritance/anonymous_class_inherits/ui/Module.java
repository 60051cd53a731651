package ui;

public class Module extends Base {
    Handler make() {
        return new Handler() {
            @Override
            public void onEvent() {
                help();
                toString();
            }
        };
    }

    static class Nested {
        void run() {
            hashCode();
        }
    }
}
