class Client {
  send() {}
}

export const shared = new Client();
export default new Client();
