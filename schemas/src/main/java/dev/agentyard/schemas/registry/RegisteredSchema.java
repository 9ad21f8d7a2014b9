package dev.agentyard.schemas.registry;

import org.apache.avro.Schema;

/** One version of a schema under a subject, as the registry returned it. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {}
