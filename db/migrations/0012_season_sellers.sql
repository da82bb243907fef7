CREATE TABLE `season_sellers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`store_id` integer,
	`rank` integer NOT NULL,
	`style` text NOT NULL,
	`share` real NOT NULL,
	`season_from` integer NOT NULL,
	`season_to` integer NOT NULL,
	`computed_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `season_sellers_store_rank_idx` ON `season_sellers` (`store_id`,`rank`);