export class Client {
  static create(): Client {
    return new Client();
  }
  static async connect(): Promise<Client> {
    return Client.create();
  }
  send(): void {}
}
