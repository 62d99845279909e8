CREATE TABLE `tool_results` (
	`key` text PRIMARY KEY NOT NULL,
	`tool` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`output` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tool_results_expires_at_idx` ON `tool_results` (`expires_at`);--> statement-breakpoint
CREATE INDEX `tool_results_created_at_idx` ON `tool_results` (`created_at`);