"""Language models for host-side agents: model configs, the chat client, tracing and cost.

Calls go through the ``openai`` SDK to any OpenAI-compatible ``base_url``; MLflow's OpenAI
autolog traces them into the attempt's run, and tokens and cost are summed from those traces.
``scripted`` is an OpenAI-compatible server that plays scripted replies, for tests and demos.
"""
