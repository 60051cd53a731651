package sh;

public class Worker {
    public void run() { }
}
