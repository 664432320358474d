/** Names, products and stock items that make the demo data read like a real shop. */
export const DEMO_FIRST_NAMES = [
  "Amara",
  "Bram",
  "Chiara",
  "Dmitri",
  "Elif",
  "Farah",
  "Goran",
  "Hana",
  "Ines",
  "Jonas",
  "Kaito",
  "Lena",
  "Mateo",
  "Noor",
  "Oskar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sven",
  "Tariq",
];

export const DEMO_LAST_NAMES = [
  "Achterberg",
  "Bianchi",
  "Castillo",
  "Dubois",
  "Eriksen",
  "Fischer",
  "Gallo",
  "Haddad",
  "Ivanova",
  "Janssen",
  "Kowalski",
  "Lindqvist",
  "Moreau",
  "Nakamura",
  "Okafor",
  "Petrov",
];

export const DEMO_STOCK_ITEMS = [
  "tee-organic-black-m",
  "tee-organic-black-l",
  "hoodie-forest-s",
  "hoodie-forest-m",
  "mug-enamel-white",
  "tote-canvas-natural",
  "cap-wool-navy",
  "socks-merino-grey-42",
  "notebook-a5-dotted",
  "poster-risograph-a3",
  "beanie-rib-rust",
  "sticker-pack-5",
];

export const DEMO_EMAIL_SUBJECTS = [
  (order: string) => `Your order ${order} is confirmed`,
  (order: string) => `Order ${order} has shipped`,
  (order: string) => `Your receipt for order ${order}`,
  () => "Confirm your email address",
  () => "Reset your password",
  (order: string) => `How did we do with order ${order}?`,
];

export const DEMO_WEBHOOK_TYPES = [
  "payment_intent.succeeded",
  "charge.refunded",
  "checkout.session.completed",
  "invoice.paid",
];

/** A deterministic pick from a list. */
export function pick<T>(list: readonly T[], index: number): T {
  return list[index % list.length] as T;
}
