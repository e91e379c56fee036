import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ImdsChecksOptions } from './imds-checks-options';
import { INVALID_ACKNOWLEDGEMENT } from '../checks/acknowledgements';
import { Finding, runChecks } from '../checks/check';
import { RULES, ruleById } from '../checks/rules';
import { TemplateSource } from '../checks/template-model';
import { cdkWording } from '../private/cdk-fix';
import { ConstructContext, PLUGIN_NAME, constructAcknowledgementProblems } from '../private/construct-context';
import { ImdsConfigurationError } from '../private/errors';
import { HOP_LIMIT_RANGE, isValidHopLimit } from '../private/hop-limit';
import { nestedTemplatePaths } from '../private/nested-templates';
import { writeReport } from '../private/write-report';

/**
 * The cdk-imds rules (IMDS001-IMDS012) as a CDK validation plugin.
 *
 * Reads the synthesized templates of every stack (nested stages included), reports each finding
 * as a violation with the rule ID, the resource's logical ID, the template path and the property
 * path, and fails synthesis on errors. Acknowledgements made with
 * `Validations.of(scope).acknowledge({ id: 'IMDS001', reason })` or
 * `{ id: 'cdk-imds::IMDS001', reason }` silence a rule on that subtree, errors included; each is
 * listed in `imds-plugin-report.json`/`imds-plugin-report.md` in the cloud assembly (the aspect
 * writes `imds-report.*`, so the two never overwrite each other).
 *
 * @example
 * const app = new App();
 * Validations.of(app).addPlugins(new imds.ImdsValidationPlugin({ maxHopLimit: 2 }));
 */
export class ImdsValidationPlugin implements IPolicyValidationPlugin {
  /** The plugin name shown in the validation report, and the namespace of its rule IDs. */
  public readonly name: string = PLUGIN_NAME;

  /** The version of cdk-imds. */
  public readonly version?: string = packageVersion();

  /** The rule IDs the plugin evaluates. */
  public readonly ruleIds?: string[] = RULES.map((r) => r.id);

  private readonly options: ImdsChecksOptions;

  constructor(options: ImdsChecksOptions = {}) {
    if (options.maxHopLimit !== undefined && !isValidHopLimit(options.maxHopLimit)) {
      throw new ImdsConfigurationError(`ImdsValidationPlugin maxHopLimit is ${options.maxHopLimit}: it must be ${HOP_LIMIT_RANGE}.`);
    }
    this.options = options;
  }

  /** Check the templates of the app. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const stacks = context.stackTemplates ?? context.templatePaths.map((templatePath) => ({ templatePath, stackConstructPath: '', region: undefined, accountId: undefined }));
    const root = context.appConstruct;
    const stackAt = root ? templateStacks(root) : undefined;
    const tree = root ? new ConstructContext() : undefined;
    const sources: TemplateSource[] = [];
    const add = (file: string, template: unknown, region: string | undefined, stackName: string) => {
      sources.push({ path: file, template, region, stackName });
      tree?.addTemplate(file, template, () => stackAt?.().get(path.resolve(file)));
    };
    for (const s of stacks) {
      const template = JSON.parse(fs.readFileSync(s.templatePath, 'utf-8'));
      const stackName = s.stackConstructPath || path.basename(s.templatePath, '.template.json');
      add(s.templatePath, template, s.region, stackName);
      // Nested stacks are not stacks of the assembly: their templates are assets of the parent.
      for (const file of nestedTemplatePaths(s.templatePath, template)) {
        add(file, JSON.parse(fs.readFileSync(file, 'utf-8')), s.region, `${stackName}/${path.basename(file)}`);
      }
    }
    if (root && tree) {
      // Acknowledgements anywhere in the app that name no rule or give no reason are reported.
      const byFile = new Map(sources.map((s) => [path.resolve(s.path), s.path]));
      const templatePathOf = (stack: Stack) => {
        const stage = Stage.of(stack);
        return stage ? byFile.get(path.resolve(stage.outdir, stack.templateFile)) : undefined;
      };
      tree.setAcknowledgementProblems(constructAcknowledgementProblems([root, ...root.node.findAll()], templatePathOf));
    }
    const result = runChecks(sources, this.options, tree);

    const violations: PolicyViolation[] = result.findings.map((f) => {
      const rule = ruleById(f.ruleId);
      return {
        // `cdk-imds:invalidAcknowledgement` would read `cdk-imds::cdk-imds:invalidAcknowledgement` in the report.
        ruleName: f.ruleId === INVALID_ACKNOWLEDGEMENT ? 'invalidAcknowledgement' : f.ruleId,
        description: violationDescription(f, tree?.construct(f.templatePath, f.logicalId)),
        fix: rule ? `${rule.fix}.` : 'Acknowledge a rule ID of cdk-imds, with a reason.',
        severity: f.level,
        ruleMetadata: { title: rule?.title ?? 'an acknowledgement that is not honoured' },
        violatingResources: [
          {
            resourceLogicalId: f.logicalId || undefined,
            templatePath: f.templatePath || undefined,
            constructPath: f.constructPath,
            locations: f.propertyPath ? [f.propertyPath] : [],
          },
        ],
      };
    });

    if (this.options.report ?? true) {
      const outdir = root && Stage.isStage(root) ? root.outdir : stacks.length > 0 ? path.dirname(stacks[0].templatePath) : undefined;
      writeReport(outdir, result, 'plugin');
    }

    return {
      success: !result.findings.some((f) => f.level === 'error'),
      violations,
      metadata: {
        launches: String(result.launches.length),
        acknowledged: String(result.acknowledged.length),
      },
    };
  }
}

/**
 * The description of a finding's violation: the one place where a finding's message becomes what
 * the validation report shows (the report itself adds how to acknowledge it, e.g.
 * `cdk-imds::IMDS001`), with the fix in the props of the construct that made the resource where
 * it has them.
 */
function violationDescription(f: Finding, construct: IConstruct | undefined): string {
  return f.ruleId === INVALID_ACKNOWLEDGEMENT ? f.message : cdkWording(f, construct);
}

/** The stacks of an app (nested stages and nested stacks included) by absolute template path, found once when first asked. */
function templateStacks(root: IConstruct): () => Map<string, Stack> {
  let byPath: Map<string, Stack> | undefined;
  return () => {
    if (!byPath) {
      byPath = new Map();
      for (const c of root.node.findAll()) {
        if (!Stack.isStack(c)) continue;
        const stage = Stage.of(c);
        if (stage) byPath.set(path.resolve(stage.outdir, c.templateFile), c);
      }
    }
    return byPath;
  };
}

function packageVersion(): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version;
  } catch {
    return undefined;
  }
}
