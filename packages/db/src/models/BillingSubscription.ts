import { BaseModel, type TimestampColumn } from './BaseModel';

/** A user's Stripe subscription as the webhooks last left it (migrations 030–033). */
export class BillingSubscription extends BaseModel {
  static override tableName = 'billing_subscriptions';
  static override idColumn = 'user_id';
  static override timestampColumns: readonly TimestampColumn[] = ['updated_at'];
  static override booleanColumns = ['cancel_at_period_end'];

  declare user_id: number;
  declare stripe_subscription_id: string | null;
  /** A downgrade (or 'free' after cancellation) that applies at the end of the paid period. */
  declare pending_tier: string | null;
  declare pending_period: string | null;
  declare cancel_at_period_end: boolean;
  /** Stripe's `created` (unix seconds) of the last subscription event applied. */
  declare last_event_created: number;
  declare updated_at: Date;
}
