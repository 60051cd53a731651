package sh;

public class Helper {
    public void run() { }
}
