import { Client } from "./client";

export async function main() {
  Client.create().send();
  const c = await Client.connect();
  c.send();
}
