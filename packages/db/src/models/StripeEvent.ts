import { BaseModel, type TimestampColumn } from './BaseModel';

/** A Stripe webhook event already applied (migrations 030–033): the idempotency key of the webhook route. */
export class StripeEvent extends BaseModel {
  static override tableName = 'stripe_events';
  static override timestampColumns: readonly TimestampColumn[] = [];
  static override dateColumns = ['processed_at'];

  declare id: string;
  declare type: string;
  declare event_created: number;
  declare processed_at: Date;
}
