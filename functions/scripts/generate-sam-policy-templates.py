#!/usr/bin/env python3
# Regenerates functions/src/main/resources/iam/sam-policy-templates.json, the SAM policy templates
# (S3CrudPolicy, DynamoDBCrudPolicy, ...) as SAM itself defines them, from the policy_templates.json that the
# aws-sam-translator package publishes (Apache-2.0; cfn-lint depends on it).
#
#   python3 functions/scripts/generate-sam-policy-templates.py [PATH_TO_policy_templates.json]
#
# Without a path, the file of the installed samtranslator package is used. The output keeps each template's
# Definition and parameter names as published, in name order, with the source package and its version, and the
# number of templates so that a truncated copy is refused when it is read (template.SamPolicyTemplates).
import datetime
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, '..', 'src', 'main', 'resources', 'iam', 'sam-policy-templates.json')

if len(sys.argv) > 1:
    source = sys.argv[1]
    version = 'unknown'
else:
    import samtranslator
    source = os.path.join(os.path.dirname(samtranslator.__file__), 'policy_templates_data', 'policy_templates.json')
    version = samtranslator.__version__

with open(source, encoding='utf-8') as f:
    published = json.load(f)
templates = published['Templates']
if not templates:
    sys.exit('expected policy templates in ' + source + ' but found none')

bundle = {
    'format': 'iam-guardrail-sam-policy-templates/1',
    'source': 'aws-sam-translator ' + version + ' samtranslator/policy_templates_data/policy_templates.json',
    'generatedAt': datetime.date.today().isoformat(),
    'count': len(templates),
    'templates': {
        name: {
            'parameters': sorted(t.get('Parameters', {}).keys()),
            'definition': t['Definition'],
        }
        for name, t in sorted(templates.items())
    },
}
tmp = out + '.tmp'
with open(tmp, 'w', encoding='utf-8') as f:
    json.dump(bundle, f, indent=1, sort_keys=False)
    f.write('\n')
os.replace(tmp, out)
print('wrote %d SAM policy templates from %s to %s' % (len(templates), bundle['source'], out))
