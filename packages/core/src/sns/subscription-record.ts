/** A subscription as the topic's `subscriptions` hash stores it (JSON). */
export interface SubscriptionRecord {
  readonly protocol: string;
  readonly endpoint: string;
  readonly owner: string;
  readonly pendingConfirmation: boolean;
  /** settable attributes: RawMessageDelivery, FilterPolicy, ... */
  readonly attributes: Record<string, string>;
}
