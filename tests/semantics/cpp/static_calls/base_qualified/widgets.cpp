class Widget {
public:
    virtual void draw() { prepare(); }
    static Widget* root() { return nullptr; }
protected:
    void prepare() {}
};

class Button : public Widget {
public:
    void draw() override {
        Widget::draw();
        this->highlight();
        prepare();
    }
    void highlight() {}
    static int count() { return 0; }
};

void render() {
    Widget::root()->draw();
    Button::count();
    Button b;
    b.draw();
}
