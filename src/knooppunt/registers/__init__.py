"""Adapters to the national registers: addresses and buildings (BAG), companies (KvK),
grid-operator energy anomalies. Each has an interface, a local implementation backed by
tables in this app (filled by an import or by the demo), and a sketch of a remote one."""
