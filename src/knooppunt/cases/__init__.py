"""Cases: forums, meetings, cases, pre-weighing documents, decisions, interventions."""
