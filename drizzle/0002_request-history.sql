CREATE TABLE `request_history` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`request_id` text NOT NULL,
	`client_model` text NOT NULL,
	`route` text,
	`backend` text,
	`target_model` text,
	`stream` integer NOT NULL,
	`status` integer NOT NULL,
	`outcome` text NOT NULL,
	`attempts` integer NOT NULL,
	`fallback` integer NOT NULL,
	`latency_ms` real NOT NULL,
	`ttft_ms` real,
	`input_tokens` integer,
	`output_tokens` integer,
	`cached_tokens` integer,
	`cache` text,
	`error_type` text,
	`context_utilization` real,
	`tokens_trimmed` integer,
	`prompt_tokens_saved` integer,
	`tool_calls` integer,
	`search_calls` integer
);
--> statement-breakpoint
CREATE INDEX `request_history_at_idx` ON `request_history` (`at`);--> statement-breakpoint
CREATE INDEX `request_history_errors_idx` ON `request_history` (`at`) WHERE "request_history"."error_type" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `request_latency_buckets` (
	`minute` integer NOT NULL,
	`kind` integer NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`minute`, `kind`, `bucket`)
);
--> statement-breakpoint
CREATE TABLE `request_minutes` (
	`minute` integer NOT NULL,
	`backend` text NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`errors` integer DEFAULT 0 NOT NULL,
	`fallbacks` integer DEFAULT 0 NOT NULL,
	`cache_hits` integer DEFAULT 0 NOT NULL,
	`semantic_hits` integer DEFAULT 0 NOT NULL,
	`cache_misses` integer DEFAULT 0 NOT NULL,
	`cache_bypasses` integer DEFAULT 0 NOT NULL,
	`latency_ms_sum` real DEFAULT 0 NOT NULL,
	`hit_latency_ms_sum` real DEFAULT 0 NOT NULL,
	`ttft_ms_sum` real DEFAULT 0 NOT NULL,
	`ttft_count` integer DEFAULT 0 NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cached_tokens` integer DEFAULT 0 NOT NULL,
	`generation_tokens` integer DEFAULT 0 NOT NULL,
	`generation_ms_sum` real DEFAULT 0 NOT NULL,
	`context_utilization_sum` real DEFAULT 0 NOT NULL,
	`context_utilization_count` integer DEFAULT 0 NOT NULL,
	`tokens_trimmed` integer DEFAULT 0 NOT NULL,
	`prompt_tokens_saved` integer DEFAULT 0 NOT NULL,
	`tool_calls` integer DEFAULT 0 NOT NULL,
	`search_calls` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`minute`, `backend`)
);
