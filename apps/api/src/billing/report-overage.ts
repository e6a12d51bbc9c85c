import type { Db } from '@compareintel/db';
import type Stripe from 'stripe';
import type { AppServices } from '../context';

/**
 * Bill settled overage through Stripe Billing Meters: one meter event per run, whose identifier is the
 * run's hold id, so Stripe counts it once even when a report is retried after a crash or sent by two
 * processes. Rows are marked reported after Stripe accepted them. Returns how many were reported.
 */
export async function reportOverageCharges({
  db,
  stripe,
  eventName,
  now,
}: {
  db: Db;
  stripe: Stripe;
  eventName: string;
  now: () => Date;
}): Promise<number> {
  const rows: Array<{
    hold_id: string;
    credits: number;
    stripe_customer_id: string | null;
    created_at: string | Date;
  }> = await db
    .knex('overage_charges')
    .join('users', 'users.id', 'overage_charges.user_id')
    .whereNull('overage_charges.reported_at')
    .orderBy('overage_charges.created_at')
    .limit(100)
    .select(
      'overage_charges.hold_id',
      'overage_charges.credits',
      'users.stripe_customer_id',
      'overage_charges.created_at',
    );
  let reported = 0;
  for (const row of rows) {
    if (!row.stripe_customer_id) continue;
    await stripe.billing.meterEvents.create({
      event_name: eventName,
      identifier: row.hold_id,
      timestamp: Math.floor(new Date(row.created_at).getTime() / 1000),
      payload: { stripe_customer_id: row.stripe_customer_id, value: String(row.credits) },
    });
    reported += await db
      .knex('overage_charges')
      .where('hold_id', row.hold_id)
      .whereNull('reported_at')
      .update({ reported_at: now().toISOString() });
  }
  return reported;
}

/** One report at a time per database; a settlement during it asks for one more pass afterwards. */
const reporting = new WeakMap<object, { again: boolean }>();

/** Report in the background after a run charged overage; a failure is retried by the next report. */
export function reportOverageSoon(services: Pick<AppServices, 'db' | 'stripe' | 'config' | 'now'>): void {
  const { stripe, db } = services;
  if (!stripe) return;
  const running = reporting.get(db);
  if (running) {
    running.again = true;
    return;
  }
  const state = { again: false };
  reporting.set(db, state);
  void (async () => {
    try {
      do {
        state.again = false;
        await reportOverageCharges({
          db,
          stripe,
          eventName: services.config.STRIPE_OVERAGE_METER_EVENT,
          now: services.now,
        });
      } while (state.again);
    } catch (error) {
      console.error('overage not reported to Stripe yet', error);
    } finally {
      reporting.delete(db);
    }
  })();
}
