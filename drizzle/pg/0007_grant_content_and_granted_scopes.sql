CREATE TABLE "granted_scopes" (
	"service_id" bigint NOT NULL,
	"client_id" bigint NOT NULL,
	"subject" text NOT NULL,
	"latest_granted_scopes_json" text NOT NULL,
	"merged_granted_scopes_json" text NOT NULL,
	"latest_granted_claims_json" text NOT NULL,
	"merged_granted_claims_json" text NOT NULL,
	"modified_at_ms" bigint NOT NULL,
	CONSTRAINT "granted_scopes_pk" PRIMARY KEY("service_id","client_id","subject")
);
--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "scopes_json" text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "claims_json" text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "authorization_details_json" text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "resources_json" text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "consented_at_ms" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "granted_scopes" ADD CONSTRAINT "granted_scopes_client_id_clients_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "clients"("client_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "grants_service_subject_idx" ON "grants" USING btree ("service_id","subject");--> statement-breakpoint
UPDATE "grants" SET "consented_at_ms" = "created_at_ms";