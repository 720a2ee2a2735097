CREATE TABLE "dpop_proof_jtis" (
	"service_id" bigint NOT NULL,
	"jkt_jti_hash" text NOT NULL,
	"expires_at_ms" bigint NOT NULL,
	CONSTRAINT "dpop_proof_jtis_pk" PRIMARY KEY("service_id","jkt_jti_hash")
);
--> statement-breakpoint
ALTER TABLE "dpop_proof_jtis" ADD CONSTRAINT "dpop_proof_jtis_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dpop_proof_jtis_expires_idx" ON "dpop_proof_jtis" USING btree ("expires_at_ms");