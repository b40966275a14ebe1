"""The icon classifier: its vocabulary, training crops, training and ONNX export.

The runtime that uses the model is ``gui_agent.perception.icon_names``.
"""
