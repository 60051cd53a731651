import client, { shared } from "./client.js";
import handle from "./router.js";

export function main() {
  client.send();
  shared.send();
  handle();
}
