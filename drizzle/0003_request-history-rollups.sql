-- Custom SQL migration: the totals and latency histograms of request_history per minute, per
-- quarter hour and per four hours (see requestTotals in src/store/schema.ts), kept by one trigger
-- in the same transaction
-- as each batch of rows. Deleting rows (retention) leaves them alone. Tokens count what backends
-- did: a cache hit (backend NULL) adds none. Generation speed counts completed live streams,
-- after their first token. A histogram is a JSON object of counts by bucket; bucket b holds
-- durations from 2^(b/4) ms, below 0.01 ms counting as 0.01 ms (src/history/latency-buckets.ts
-- reads them back). A new period's row starts with the new row's bucket at 1; an existing one
-- adds 1 under that bucket, the one key of excluded's histogram.
CREATE TRIGGER `request_history_totals_after_insert` AFTER INSERT ON `request_history` BEGIN
	INSERT INTO `request_totals` (`span`, `minute`, `backend`, `requests`, `errors`, `fallbacks`, `cache_hits`, `semantic_hits`, `cache_misses`, `cache_bypasses`, `latency_ms_sum`, `hit_latency_ms_sum`, `ttft_ms_sum`, `ttft_count`, `input_tokens`, `output_tokens`, `cached_tokens`, `generation_tokens`, `generation_ms_sum`, `context_utilization_sum`, `context_utilization_count`, `tokens_trimmed`, `prompt_tokens_saved`, `tool_calls`, `search_calls`, `latency_histogram`, `ttft_histogram`)
		SELECT
			`spans`.`span`,
			NEW.`at` / 60000 / `spans`.`span` * `spans`.`span`,
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
			CASE WHEN `row`.`generated` THEN NEW.`output_tokens` ELSE 0 END,
			CASE WHEN `row`.`generated` THEN NEW.`latency_ms` - NEW.`ttft_ms` ELSE 0 END,
			coalesce(NEW.`context_utilization`, 0),
			NEW.`context_utilization` IS NOT NULL,
			coalesce(NEW.`tokens_trimmed`, 0),
			coalesce(NEW.`prompt_tokens_saved`, 0),
			coalesce(NEW.`tool_calls`, 0),
			coalesce(NEW.`search_calls`, 0),
			json_object(`row`.`latency_bucket`, 1),
			CASE WHEN `row`.`ttft_bucket` IS NULL THEN '{}' ELSE json_object(`row`.`ttft_bucket`, 1) END
		FROM
			(SELECT 1 AS `span` UNION ALL SELECT 15 UNION ALL SELECT 240) AS `spans`,
			(SELECT
				NEW.`backend` IS NOT NULL AND NEW.`outcome` = 'completed' AND NEW.`output_tokens` > 0 AND NEW.`latency_ms` > NEW.`ttft_ms` AS `generated`,
				CAST(CAST(floor(4 * log2(max(NEW.`latency_ms`, 0.01))) AS INTEGER) AS TEXT) AS `latency_bucket`,
				CASE WHEN NEW.`ttft_ms` IS NULL THEN NULL ELSE CAST(CAST(floor(4 * log2(max(NEW.`ttft_ms`, 0.01))) AS INTEGER) AS TEXT) END AS `ttft_bucket`
			) AS `row`
		WHERE true
		ON CONFLICT (`span`, `minute`, `backend`) DO UPDATE SET
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
			`search_calls` = `search_calls` + excluded.`search_calls`,
			`latency_histogram` = json_set(`latency_histogram`, (SELECT '$."' || `key` || '"' FROM json_each(excluded.`latency_histogram`)), coalesce(`latency_histogram` ->> (SELECT '$."' || `key` || '"' FROM json_each(excluded.`latency_histogram`)), 0) + 1),
			`ttft_histogram` = CASE WHEN excluded.`ttft_histogram` = '{}' THEN `ttft_histogram` ELSE json_set(`ttft_histogram`, (SELECT '$."' || `key` || '"' FROM json_each(excluded.`ttft_histogram`)), coalesce(`ttft_histogram` ->> (SELECT '$."' || `key` || '"' FROM json_each(excluded.`ttft_histogram`)), 0) + 1) END;
END;
