import { z } from 'zod';

/**
 * The fields of Stripe's webhook objects that billing reads, validated (the SDK's event types follow the
 * newest API version; these accept both the current shapes and the older ones still sent to accounts
 * pinned to an earlier version).
 */

const ZId = z.string().min(1);
const ZExpandable = z
  .union([ZId, z.object({ id: ZId })])
  .nullish()
  .transform((value) => {
    if (value == null) return null;
    return typeof value === 'string' ? value : value.id;
  });
const ZMetadata = z
  .record(z.string(), z.string())
  .nullish()
  .transform((value) => value ?? {});

export const ZCheckoutSessionObject = z.object({
  id: ZId,
  customer: ZExpandable,
  subscription: ZExpandable,
  invoice: ZExpandable,
  client_reference_id: z.string().nullish(),
  metadata: ZMetadata,
  amount_total: z.number().int().nullish(),
  currency: z.string().nullish(),
});

const ZPeriod = z.object({ start: z.number().int(), end: z.number().int() });

const ZInvoiceLine = z.object({
  period: ZPeriod,
  price: z.object({ id: ZId }).nullish(),
  pricing: z.object({ price_details: z.object({ price: ZExpandable }).nullish() }).nullish(),
});

export const ZInvoiceObject = z.object({
  id: ZId,
  customer: ZExpandable,
  billing_reason: z.string().nullish(),
  amount_paid: z.number().int().default(0),
  amount_due: z.number().int().default(0),
  currency: z.string().default('usd'),
  subscription: ZExpandable,
  parent: z
    .object({
      subscription_details: z.object({ subscription: ZExpandable, metadata: ZMetadata }).nullish(),
    })
    .nullish(),
  lines: z.object({ data: z.array(ZInvoiceLine) }),
});
export type TInvoiceObject = z.infer<typeof ZInvoiceObject>;

export const ZSubscriptionObject = z.object({
  id: ZId,
  customer: ZExpandable,
  status: z.string(),
  cancel_at_period_end: z.boolean().default(false),
  metadata: ZMetadata,
  current_period_start: z.number().int().nullish(),
  current_period_end: z.number().int().nullish(),
  items: z.object({
    data: z.array(
      z.object({
        price: z.object({ id: ZId }),
        current_period_start: z.number().int().nullish(),
        current_period_end: z.number().int().nullish(),
      }),
    ),
  }),
});
export type TSubscriptionObject = z.infer<typeof ZSubscriptionObject>;

export const ZChargeObject = z.object({
  id: ZId,
  customer: ZExpandable,
  amount_refunded: z.number().int().default(0),
  currency: z.string().default('usd'),
  payment_intent: ZExpandable,
  invoice: ZExpandable,
});

/** The subscription an invoice belongs to (where the API version puts it). */
export function subscriptionOfInvoice(invoice: TInvoiceObject): string | null {
  return invoice.parent?.subscription_details?.subscription ?? invoice.subscription;
}

/** The price of an invoice's subscription line (skipping the overage line when a plan line exists). */
export function pricesOfInvoice(invoice: TInvoiceObject): string[] {
  return invoice.lines.data.flatMap((line) => {
    const price = line.pricing?.price_details?.price ?? line.price?.id ?? null;
    return price ? [price] : [];
  });
}

/** Stripe amounts are in the currency's minor unit (cents for USD). */
export function fromMinorUnits(amount: number): number {
  return Math.round(amount) / 100;
}

export function fromUnixSeconds(seconds: number): Date {
  return new Date(seconds * 1000);
}
