-- Confirms a subscription with the token its confirmation message carried.
-- A token from an UnsubscribeConfirmation brings the deleted subscription
-- back (its SubscribeURL "restores the subscription", as in SNS). Confirming
-- twice answers the same ARN; the token stays valid until it expires.
-- KEYS[1] meta  KEYS[2] subscriptions  KEYS[3] confirmation token key
-- ARGV[1] "1" when the request was authenticated (the API), "0" (a GET on
--         the SubscribeURL)
-- ARGV[2] "1" when unsubscribing should then need authentication
-- Returns {"ok", id} | {"NotFound"} | {"InvalidToken"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NotFound'}
end
local raw = redis.call('GET', KEYS[3])
if not raw then
  return {'InvalidToken'}
end
local token = cjson.decode(raw)
-- A token outliving its topic must not act on a new topic of the same name.
if token.created ~= redis.call('HGET', KEYS[1], 'created') then
  return {'InvalidToken'}
end
local current = redis.call('HGET', KEYS[2], token.id)
local record
if current then
  record = cjson.decode(current)
  if not record.pendingConfirmation then
    return {'ok', token.id}
  end
elseif token.restore then
  record = cjson.decode(token.restore)
  -- Subscribed again since: that subscription is the answer.
  local all = redis.call('HGETALL', KEYS[2])
  for i = 1, #all, 2 do
    local other = cjson.decode(all[i + 1])
    if other.protocol == record.protocol and other.endpoint == record.endpoint then
      return {'ok', all[i]}
    end
  end
else
  return {'InvalidToken'}
end
record.pendingConfirmation = false
record.confirmBy = nil
record.confirmationWasAuthenticated = ARGV[1] == '1'
record.authenticateOnUnsubscribe = ARGV[2] == '1'
redis.call('HSET', KEYS[2], token.id, cjson.encode(record))
return {'ok', token.id}
