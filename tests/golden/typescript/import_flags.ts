/// <reference path="globals.d.ts" />
/// <reference types="node" />
import type { Order } from './models';
import { type Money, format } from './money';
export type { Currency } from './money';
export { type Rate, convert } from './rates';

export async function loadReport(id: string): Promise<string> {
  const { render } = await import('./report');
  return render(id);
}

let fs: typeof import('fs') | undefined;
try {
  fs = require('fs');
} catch {
  fs = undefined;
}

export function total(orders: Order[]): Money {
  if (orders.length === 0) {
    const { ZERO } = require('./money');
    return ZERO;
  }
  return orders.reduce((sum, o) => sum + o.amount, 0) as Money;
}

export const label = (m: Money): string => format(m);
