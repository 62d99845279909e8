-- Custom SQL migration: the running totals of cache_entries (see cacheEntryTotals in
-- src/store/schema.ts), kept by triggers so every way a row comes or goes is counted.
-- Upserts fire the UPDATE trigger; never use INSERT OR REPLACE on cache_entries (its implicit
-- delete fires no trigger unless recursive_triggers is on).
INSERT INTO `cache_entry_totals` (`id`, `entries`, `bytes`) VALUES (1, 0, 0);
--> statement-breakpoint
CREATE TRIGGER `cache_entries_totals_after_insert` AFTER INSERT ON `cache_entries` BEGIN
	UPDATE `cache_entry_totals` SET `entries` = `entries` + 1, `bytes` = `bytes` + NEW.`bytes` WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_entries_totals_after_delete` AFTER DELETE ON `cache_entries` BEGIN
	UPDATE `cache_entry_totals` SET `entries` = `entries` - 1, `bytes` = `bytes` - OLD.`bytes` WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_entries_totals_after_update` AFTER UPDATE OF `bytes` ON `cache_entries` BEGIN
	UPDATE `cache_entry_totals` SET `bytes` = `bytes` - OLD.`bytes` + NEW.`bytes` WHERE `id` = 1;
END;
