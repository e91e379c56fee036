import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ImdsChecksOptions } from './imds-checks-options';
import { runChecks } from '../checks/check';
import { RULES, ruleById } from '../checks/rules';
import { TemplateSource } from '../checks/template-model';
import { ConstructContext, PLUGIN_NAME } from '../private/construct-context';
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
    const result = runChecks(sources, this.options, tree);

    const violations: PolicyViolation[] = result.findings.map((f) => {
      const rule = ruleById(f.ruleId);
      return {
        ruleName: f.ruleId,
        description: f.message,
        fix: rule ? `${rule.fix}.` : undefined,
        severity: f.level,
        ruleMetadata: { title: rule?.title ?? f.ruleId },
        violatingResources: [
          {
            resourceLogicalId: f.logicalId,
            templatePath: f.templatePath,
            constructPath: f.constructPath,
            locations: [f.propertyPath],
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
