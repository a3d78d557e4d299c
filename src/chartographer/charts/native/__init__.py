"""The native chart API's front door: ``/v1/charts/{kind}`` and its parameters."""
