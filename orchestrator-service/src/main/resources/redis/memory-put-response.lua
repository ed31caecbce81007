-- Writes a stored response and the tokens of its context (read by the gateway to size a chained turn's reservation)
-- together. KEYS[1] the response, KEYS[2] its tokens; ARGV[1] the response (JSON), ARGV[2] the tokens, ARGV[3] TTL
-- (ms), ARGV[4] '1' after a PostgreSQL read: only into an empty key, never over a tombstone or a newer write.
if ARGV[4] == '1' and not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3], 'NX') then
  return 0
end
if ARGV[4] ~= '1' then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
