-- Custom SQL migration: the per-minute totals and latency histograms of request_history (see
-- requestMinutes and requestLatencyBuckets in src/store/schema.ts), kept by one trigger in the
-- same transaction as each batch of rows. Deleting rows (retention) leaves the totals alone.
-- Tokens count what backends did: a cache hit (backend NULL) adds none.
-- Bucket b holds durations from 2^(b/4) ms; below 0.01 ms counts as 0.01 ms
-- (src/history/latency-buckets.ts reads them back).
CREATE TRIGGER `request_history_rollups_after_insert` AFTER INSERT ON `request_history` BEGIN
	INSERT INTO `request_minutes` (
		`minute`, `backend`, `requests`, `errors`, `fallbacks`, `cache_hits`, `semantic_hits`, `cache_misses`, `cache_bypasses`,
		`latency_ms_sum`, `hit_latency_ms_sum`, `ttft_ms_sum`, `ttft_count`, `input_tokens`, `output_tokens`, `cached_tokens`,
		`generation_tokens`, `generation_ms_sum`, `context_utilization_sum`, `context_utilization_count`, `tokens_trimmed`,
		`prompt_tokens_saved`, `tool_calls`, `search_calls`
	) VALUES (
		NEW.`at` / 60000,
		coalesce(NEW.`backend`, ''),
		1,
		NEW.`error_type` IS NOT NULL,
		NEW.`fallback`,
		NEW.`cache` IS 'hit',
		NEW.`cache` IS 'semantic',
		NEW.`cache` IS 'miss',
		NEW.`cache` IS 'bypass',
		NEW.`latency_ms`,
		CASE WHEN NEW.`cache` IN ('hit', 'semantic') THEN NEW.`latency_ms` ELSE 0 END,
		coalesce(NEW.`ttft_ms`, 0),
		NEW.`ttft_ms` IS NOT NULL,
		CASE WHEN NEW.`backend` IS NULL THEN 0 ELSE coalesce(NEW.`input_tokens`, 0) END,
		CASE WHEN NEW.`backend` IS NULL THEN 0 ELSE coalesce(NEW.`output_tokens`, 0) END,
		CASE WHEN NEW.`backend` IS NULL THEN 0 ELSE coalesce(NEW.`cached_tokens`, 0) END,
		CASE WHEN NEW.`backend` IS NOT NULL AND NEW.`outcome` = 'completed' AND NEW.`output_tokens` > 0 AND NEW.`latency_ms` > NEW.`ttft_ms`
			THEN NEW.`output_tokens` ELSE 0 END,
		CASE WHEN NEW.`backend` IS NOT NULL AND NEW.`outcome` = 'completed' AND NEW.`output_tokens` > 0 AND NEW.`latency_ms` > NEW.`ttft_ms`
			THEN NEW.`latency_ms` - NEW.`ttft_ms` ELSE 0 END,
		coalesce(NEW.`context_utilization`, 0),
		NEW.`context_utilization` IS NOT NULL,
		coalesce(NEW.`tokens_trimmed`, 0),
		coalesce(NEW.`prompt_tokens_saved`, 0),
		coalesce(NEW.`tool_calls`, 0),
		coalesce(NEW.`search_calls`, 0)
	) ON CONFLICT (`minute`, `backend`) DO UPDATE SET
		`requests` = `requests` + excluded.`requests`,
		`errors` = `errors` + excluded.`errors`,
		`fallbacks` = `fallbacks` + excluded.`fallbacks`,
		`cache_hits` = `cache_hits` + excluded.`cache_hits`,
		`semantic_hits` = `semantic_hits` + excluded.`semantic_hits`,
		`cache_misses` = `cache_misses` + excluded.`cache_misses`,
		`cache_bypasses` = `cache_bypasses` + excluded.`cache_bypasses`,
		`latency_ms_sum` = `latency_ms_sum` + excluded.`latency_ms_sum`,
		`hit_latency_ms_sum` = `hit_latency_ms_sum` + excluded.`hit_latency_ms_sum`,
		`ttft_ms_sum` = `ttft_ms_sum` + excluded.`ttft_ms_sum`,
		`ttft_count` = `ttft_count` + excluded.`ttft_count`,
		`input_tokens` = `input_tokens` + excluded.`input_tokens`,
		`output_tokens` = `output_tokens` + excluded.`output_tokens`,
		`cached_tokens` = `cached_tokens` + excluded.`cached_tokens`,
		`generation_tokens` = `generation_tokens` + excluded.`generation_tokens`,
		`generation_ms_sum` = `generation_ms_sum` + excluded.`generation_ms_sum`,
		`context_utilization_sum` = `context_utilization_sum` + excluded.`context_utilization_sum`,
		`context_utilization_count` = `context_utilization_count` + excluded.`context_utilization_count`,
		`tokens_trimmed` = `tokens_trimmed` + excluded.`tokens_trimmed`,
		`prompt_tokens_saved` = `prompt_tokens_saved` + excluded.`prompt_tokens_saved`,
		`tool_calls` = `tool_calls` + excluded.`tool_calls`,
		`search_calls` = `search_calls` + excluded.`search_calls`;
	INSERT INTO `request_latency_buckets` (`minute`, `kind`, `bucket`, `count`)
		VALUES (NEW.`at` / 60000, 0, CAST(floor(4 * log2(max(NEW.`latency_ms`, 0.01))) AS INTEGER), 1)
		ON CONFLICT (`minute`, `kind`, `bucket`) DO UPDATE SET `count` = `count` + 1;
	INSERT INTO `request_latency_buckets` (`minute`, `kind`, `bucket`, `count`)
		SELECT NEW.`at` / 60000, 1, CAST(floor(4 * log2(max(NEW.`ttft_ms`, 0.01))) AS INTEGER), 1 WHERE NEW.`ttft_ms` IS NOT NULL
		ON CONFLICT (`minute`, `kind`, `bucket`) DO UPDATE SET `count` = `count` + 1;
END;
