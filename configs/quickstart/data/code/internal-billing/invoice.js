// Totals an invoice.
export function total(lines) {
  return lines.reduce((sum, l) => sum + l.amount, 0);
}
