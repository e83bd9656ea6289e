"""The capabilities CloudFormation needs for template.yaml as `sam deploy` sends it, next to samconfig.toml's.

Usage: capabilities.py TEMPLATE SAMCONFIG [NAME=VALUE...]
Translates the template with the SAM translator (as CloudFormation's AWS::Serverless transform does) using the
samconfig parameter overrides and the NAME=VALUE answers given, then prints one JSON object:
{"shipped": [...], "required": {"CAPABILITY_X": ["LogicalId (Type, why)", ...]}, "deploy": {...samconfig deploy}}.
Every resource counts, whatever its Condition: a capability must cover each parameter choice.
"""
import json
import os
import shlex
import sys
import tomllib

from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator
from samtranslator.yaml_helper import yaml_parse

# CloudFormation's list: these types need CAPABILITY_IAM, and CAPABILITY_NAMED_IAM when given a custom name.
IAM_TYPES = {
    "AWS::IAM::AccessKey": None,
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::IAM::Policy": None,
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::UserToGroupAddition": None,
}


def main(template_path, samconfig_path, answers):
    with open(samconfig_path, "rb") as f:
        config = tomllib.load(f)
    deploy = dict(config.get("default", {}).get("global", {}).get("parameters", {}))
    deploy.update(config.get("default", {}).get("deploy", {}).get("parameters", {}))
    shipped = deploy.get("capabilities", [])
    if isinstance(shipped, str):
        shipped = shipped.split()
    parameters = {}
    for pair in shlex.split(deploy.get("parameter_overrides", "")) + answers:
        name, _, value = pair.partition("=")
        parameters[name] = value
    parameters.update({"AWS::Region": deploy.get("region", "us-east-1"), "AWS::AccountId": "123456789012",
                       "AWS::Partition": "aws", "AWS::StackName": deploy.get("stack_name", "sam-app")})

    with open(template_path) as f:
        template = yaml_parse(f.read())
    # What `sam deploy` uploads: the built code in S3 in place of the local folder.
    for holder in [template.get("Globals", {}).get("Function", {})] + [
            r.get("Properties", {}) for r in template["Resources"].values()
            if r.get("Type") == "AWS::Serverless::Function"]:
        if "CodeUri" in holder:
            holder["CodeUri"] = "s3://sam-artifacts/iam-guardrail/code.zip"
    os.environ.setdefault("AWS_DEFAULT_REGION", parameters["AWS::Region"])
    translated = Translator({}, Parser()).translate(template, parameters, get_managed_policy_map=lambda: {})

    required = {}
    for logical_id, resource in translated["Resources"].items():
        kind = resource.get("Type", "")
        if kind in IAM_TYPES:
            required.setdefault("CAPABILITY_IAM", []).append(f"{logical_id} ({kind})")
            name = IAM_TYPES[kind]
            if name and name in resource.get("Properties", {}):
                required.setdefault("CAPABILITY_NAMED_IAM", []).append(f"{logical_id} ({kind}, {name})")
        if kind == "AWS::CloudFormation::Stack":
            required.setdefault("CAPABILITY_AUTO_EXPAND", []).append(f"{logical_id} ({kind}, nested stack)")
    transforms = translated.get("Transform", [])
    for t in transforms if isinstance(transforms, list) else [transforms]:
        required.setdefault("CAPABILITY_AUTO_EXPAND", []).append(f"Transform {t} (a macro left after the SAM transform)")
    print(json.dumps({"shipped": shipped, "required": required, "deploy": deploy}, default=str))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
