/** A subscription as the topic's `subscriptions` hash stores it (JSON). */
export interface SubscriptionRecord {
  readonly protocol: string;
  readonly endpoint: string;
  readonly owner: string;
  readonly pendingConfirmation: boolean;
  /** ms after which an unconfirmed subscription is gone */
  readonly confirmBy?: number;
  /** confirmed by an API call rather than a GET on the SubscribeURL */
  readonly confirmationWasAuthenticated?: boolean;
  readonly authenticateOnUnsubscribe?: boolean;
  /** settable attributes: RawMessageDelivery, FilterPolicy, ... */
  readonly attributes: Record<string, string>;
}

/** A pending subscription past its confirmation time is gone, as in SNS. */
export function hasLapsed(record: SubscriptionRecord, now: number): boolean {
  return (
    record.pendingConfirmation &&
    record.confirmBy !== undefined &&
    record.confirmBy <= now
  );
}
