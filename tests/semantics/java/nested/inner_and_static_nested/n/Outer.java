package n;

public class Outer {
    void helper() { }

    class Inner {
        void go() {
            helper();
            Outer.this.helper();
        }
    }

    static class Builder {
        Builder with() { return this; }

        Outer build() { return new Outer(); }
    }

    static class Base {
        void hello() { }
    }

    static class Child extends Base {
        void run() { hello(); }
    }

    static Outer make() { return new Builder().with().build(); }
}
