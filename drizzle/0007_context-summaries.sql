CREATE TABLE `context_summaries` (
	`key` text PRIMARY KEY NOT NULL,
	`summarizer` text NOT NULL,
	`created_at` integer NOT NULL,
	`summary` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `context_summaries_created_at_idx` ON `context_summaries` (`created_at`);