"""The synthetic demo region: real boundaries and population, made-up organisations,
accounts and signals. Entry points: `knooppunt demo` and `demo.builder.build_demo`."""
