import { BaseModel } from './BaseModel';

/** Overage of one settled run (keyed by its hold id), to be reported to Stripe once (migrations 030–033). */
export class OverageCharge extends BaseModel {
  static override tableName = 'overage_charges';
  static override idColumn = 'hold_id';
  static override dateColumns = ['reported_at'];
  static override decimalColumns = { amount_usd: 4 };

  declare hold_id: string;
  declare user_id: number;
  declare credits: number;
  declare amount_usd: number;
  declare reported_at: Date | null;
  declare created_at: Date;
}
