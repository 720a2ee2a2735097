CREATE TABLE "pending_authorizations" (
	"request_hash" text NOT NULL,
	"service_id" bigint NOT NULL,
	"client_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"completion_key_hash" text NOT NULL,
	"status" text NOT NULL,
	"payload_json" text NOT NULL,
	"interval_seconds" bigint NOT NULL,
	"last_polled_at_ms" bigint,
	"created_at_ms" bigint NOT NULL,
	"expires_at_ms" bigint NOT NULL,
	CONSTRAINT "pending_authorizations_pk" PRIMARY KEY("service_id","request_hash")
);
--> statement-breakpoint
ALTER TABLE "pending_authorizations" ADD CONSTRAINT "pending_authorizations_client_id_clients_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "clients"("client_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "pending_authorizations_completion_idx" ON "pending_authorizations" USING btree ("service_id","kind","completion_key_hash");--> statement-breakpoint
CREATE INDEX "pending_authorizations_client_idx" ON "pending_authorizations" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "pending_authorizations_expires_idx" ON "pending_authorizations" USING btree ("expires_at_ms");