CREATE TABLE `cache_entries` (
	`key` text PRIMARY KEY NOT NULL,
	`bytes` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`last_used_at` integer NOT NULL,
	`message` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `cache_entries_last_used_at_idx` ON `cache_entries` (`last_used_at`);--> statement-breakpoint
CREATE INDEX `cache_entries_expires_at_idx` ON `cache_entries` (`expires_at`);--> statement-breakpoint
CREATE TABLE `cache_entry_totals` (
	`id` integer PRIMARY KEY NOT NULL,
	`entries` integer DEFAULT 0 NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "cache_entry_totals_single_row" CHECK("cache_entry_totals"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `cache_metrics_daily` (
	`day` text PRIMARY KEY NOT NULL,
	`hits` integer DEFAULT 0 NOT NULL,
	`semantic_hits` integer DEFAULT 0 NOT NULL,
	`misses` integer DEFAULT 0 NOT NULL,
	`bypasses` integer DEFAULT 0 NOT NULL,
	`store_errors` integer DEFAULT 0 NOT NULL,
	`bytes_saved` integer DEFAULT 0 NOT NULL,
	`tokens_saved` integer DEFAULT 0 NOT NULL,
	`lookups` integer DEFAULT 0 NOT NULL,
	`lookup_micros_sum` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `semantic_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`context_hash` text NOT NULL,
	`embedder_id` text NOT NULL,
	`bytes` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`last_used_at` integer NOT NULL,
	`embedding` blob NOT NULL,
	`request_text` text NOT NULL,
	`message` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `semantic_entries_context_hash_idx` ON `semantic_entries` (`context_hash`);--> statement-breakpoint
CREATE INDEX `semantic_entries_embedder_id_idx` ON `semantic_entries` (`embedder_id`);--> statement-breakpoint
CREATE INDEX `semantic_entries_last_used_at_idx` ON `semantic_entries` (`last_used_at`);--> statement-breakpoint
CREATE INDEX `semantic_entries_expires_at_idx` ON `semantic_entries` (`expires_at`);