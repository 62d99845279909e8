CREATE TABLE `search_results` (
	`key` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`results` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `search_results_expires_at_idx` ON `search_results` (`expires_at`);--> statement-breakpoint
CREATE INDEX `search_results_created_at_idx` ON `search_results` (`created_at`);