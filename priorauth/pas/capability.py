"""The CapabilityStatement `GET /fhir/metadata` answers: what the PAS API offers and how to get a token."""

from __future__ import annotations

from typing import Any

PAS = "http://hl7.org/fhir/us/davinci-pas/"
SUBSCRIPTION_TOPIC = PAS + "SubscriptionTopic/PASSubscriptionTopic"
TOPIC_CANONICAL = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical"
OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"


def capability_statement(*, base: str, token_url: str) -> dict[str, Any]:
    """Return the server's CapabilityStatement: $submit, $inquire, Subscription, OAuth client credentials."""
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-01",
        "publisher": "CareSource prior authorization (MP-AD-1623)",
        "kind": "instance",
        "software": {"name": "priorauth"},
        "implementation": {"description": "Da Vinci PAS 2.2.1 payer API", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "extension": [
                        {"url": OAUTH_URIS, "extension": [{"url": "token", "valueUri": token_url}]}
                    ],
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                    "code": "OAuth",
                                }
                            ]
                        }
                    ],
                    "description": "OAuth 2.0 client credentials (RFC 6749 section 4.4)",
                },
                "resource": [
                    {
                        "type": "Claim",
                        "supportedProfile": [PAS + "StructureDefinition/profile-claim"],
                        "operation": [
                            {"name": "submit", "definition": PAS + "OperationDefinition/Claim-submit"},
                            {"name": "inquire", "definition": PAS + "OperationDefinition/Claim-inquiry"},
                        ],
                    },
                    {
                        "type": "Subscription",
                        "extension": [{"url": TOPIC_CANONICAL, "valueCanonical": SUBSCRIPTION_TOPIC}],
                        "interaction": [{"code": "create"}, {"code": "read"}, {"code": "delete"}],
                    },
                ],
            }
        ],
    }
