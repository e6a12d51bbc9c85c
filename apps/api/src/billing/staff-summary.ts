import type { Db, PaymentTransaction } from '@compareintel/db';

/** A `payment_transactions` row as the billing page and the staff console show it. */
export function paymentView(row: PaymentTransaction) {
  return {
    id: row.id,
    stripeId: row.stripe_payment_intent_id,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    description: row.description,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * A user's subscription history and payments for the staff console's user detail (newest first). The
 * staff console calls it from its own procedure, which checks the `users.read` permission.
 */
export async function billingSummaryForStaff({ db }: { db: Db }, userId: number) {
  const [history, payments, user] = await Promise.all([
    db.models.SubscriptionHistory.query().where('user_id', userId).orderBy('id', 'desc').limit(100),
    db.models.PaymentTransaction.query().where('user_id', userId).orderBy('id', 'desc').limit(100),
    db.models.User.query().findById(userId),
  ]);
  return {
    stripeCustomerId: user?.stripe_customer_id ?? null,
    history: history.map((row) => ({
      id: row.id,
      previousTier: row.previous_tier,
      newTier: row.new_tier,
      period: row.period,
      amountPaid: row.amount_paid,
      stripeId: row.stripe_payment_id,
      reason: row.reason,
      createdAt: row.created_at.toISOString(),
    })),
    payments: payments.map(paymentView),
  };
}
