-- Settles reservations to what was really used: adds each delta (actual minus reserved, often negative) to the
-- counter the reservation was taken from, even if that window has since closed. Never below zero.
-- KEYS: counters returned by quota-reserve.lua; ARGV: the matching deltas.
for i = 1, #KEYS do
  local delta = tonumber(ARGV[i])
  if delta ~= 0 and redis.call('EXISTS', KEYS[i]) == 1 then
    if redis.call('INCRBY', KEYS[i], delta) < 0 then
      redis.call('SET', KEYS[i], 0, 'KEEPTTL')
    end
  end
end
return #KEYS
