/**
 * A small HTTP server on 127.0.0.1 speaking the EC2 Query protocol (form-encoded POST, XML
 * answers and XML errors) for the actions the handlers use, and the CloudFormation Query
 * protocol for DescribeStackResource. The Region of each request is read from its SigV4
 * credential scope, so one server stands in for every Region.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { FakeAccount } from './fake-ec2-account';

export interface RecordedRequest {
  readonly service: string;
  readonly region: string;
  readonly action: string;
  /** Every form parameter except Action and Version. */
  readonly params: Record<string, string>;
  readonly version: string;
}

const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const CFN_NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

class QueryError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly status = 400,
  ) {
    super(message);
  }
}

export class Ec2QueryServer {
  public readonly account = new FakeAccount();
  public readonly requests: RecordedRequest[] = [];
  /** AMI IDs and their ImdsSupport value. */
  public readonly images = new Map<string, string | undefined>();
  /** Stack resources for DescribeStackResource: logical ID → physical ID. */
  public readonly stackResources = new Map<string, string>();
  /** Errors to answer ModifyImageAttribute with, per AMI. */
  public readonly imageErrors = new Map<string, [string, string]>();
  public url = '';
  private server?: http.Server;
  private seq = 0;

  public async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.answer(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Requests of one action, in order. */
  public calls(action: string): RecordedRequest[] {
    return this.requests.filter((r) => r.action === action);
  }

  private answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const form = new URLSearchParams(body);
    const auth = String(req.headers.authorization ?? '');
    const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
    const requestId = `req-${++this.seq}`;
    const action = form.get('Action') ?? '';
    const service = scope?.[2] ?? '';
    const params: Record<string, string> = {};
    for (const [k, v] of form.entries()) if (k !== 'Action' && k !== 'Version') params[k] = v;
    const rec: RecordedRequest = { service, region: scope?.[1] ?? '', action, params, version: form.get('Version') ?? '' };
    this.requests.push(rec);
    try {
      if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        throw new QueryError('InvalidRequest', `expected a form-encoded POST, got ${req.method} ${req.headers['content-type']}`);
      }
      if (!scope) throw new QueryError('AuthFailure', 'request is not signed with SigV4');
      const xml = service === 'cloudformation' ? this.cloudformation(rec, requestId) : this.ec2(rec, requestId);
      res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
      res.end(xml);
    } catch (e) {
      const err = e instanceof QueryError ? e : new QueryError('InternalError', String(e), 500);
      res.writeHead(err.status, { 'content-type': 'text/xml;charset=UTF-8' });
      res.end(
        service === 'cloudformation'
          ? `<ErrorResponse xmlns="${CFN_NS}"><Error><Type>Sender</Type><Code>${esc(err.code)}</Code><Message>${esc(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
          : `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${esc(err.code)}</Code><Message>${esc(err.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      );
    }
  }

  private ec2(rec: RecordedRequest, requestId: string): string {
    if (rec.version !== '2016-11-15') throw new QueryError('InvalidParameterValue', `Version ${rec.version}`);
    const wrap = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<${rec.action}Response xmlns="${EC2_NS}"><requestId>${requestId}</requestId>${inner}</${rec.action}Response>`;
    if (rec.action === 'DescribeRegions') {
      const items = [...this.account.regions.entries()]
        .map(([name, r]) => `<item><regionName>${name}</regionName><regionEndpoint>ec2.${name}.amazonaws.com</regionEndpoint><optInStatus>${r.optInStatus ?? 'opt-in-not-required'}</optInStatus></item>`)
        .join('');
      return wrap(`<regionInfo>${items}</regionInfo>`);
    }
    if (rec.action === 'ModifyImageAttribute') {
      const id = rec.params.ImageId;
      if (!this.images.has(id)) throw new QueryError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
      const fail = this.imageErrors.get(id);
      if (fail) throw new QueryError(...fail);
      if (rec.params['ImdsSupport.Value'] !== undefined) this.images.set(id, rec.params['ImdsSupport.Value']);
      return wrap('<return>true</return>');
    }
    const region = this.account.regions.get(rec.region);
    if (!region) throw new QueryError('OptInRequired', `You are not subscribed to this service in ${rec.region}.`);
    if (region.throttle && region.throttle > 0) {
      region.throttle--;
      throw new QueryError('RequestLimitExceeded', 'Request limit exceeded.', 503);
    }
    if (rec.action === 'GetInstanceMetadataDefaults') {
      if (region.failGet) throw new QueryError(...region.failGet);
      const v = region.values;
      const el = (name: string, value: string | number | undefined) => (value === undefined ? '' : `<${name}>${esc(String(value))}</${name}>`);
      return wrap(
        '<accountLevel>' +
          el('httpTokens', v.HttpTokens) +
          el('httpPutResponseHopLimit', v.HttpPutResponseHopLimit) +
          el('httpEndpoint', v.HttpEndpoint) +
          el('instanceMetadataTags', v.InstanceMetadataTags) +
          el('httpTokensEnforced', v.HttpTokensEnforced) +
          el('managedBy', region.managedBy ?? 'account') +
          el('managedExceptionMessage', region.managedExceptionMessage) +
          '</accountLevel>',
      );
    }
    if (rec.action === 'ModifyInstanceMetadataDefaults') {
      if (region.managedBy === 'declarative-policy') {
        throw new QueryError('UnauthorizedOperation', 'The account is managed by a declarative policy.');
      }
      if (region.failModify) throw new QueryError(...region.failModify);
      const allowed: Record<string, RegExp> = {
        HttpTokens: /^(optional|required|no-preference)$/,
        HttpEndpoint: /^(enabled|disabled|no-preference)$/,
        InstanceMetadataTags: /^(enabled|disabled|no-preference)$/,
        HttpTokensEnforced: /^(enabled|disabled|no-preference)$/,
        HttpPutResponseHopLimit: /^(-1|[1-9]|[1-5]\d|6[0-4])$/,
        DryRun: /^(true|false)$/,
      };
      for (const [k, v] of Object.entries(rec.params)) {
        if (!allowed[k]) throw new QueryError('UnknownParameter', `The parameter ${k} is not recognized`);
        if (!allowed[k].test(v)) throw new QueryError('InvalidParameterValue', `Value (${v}) for parameter ${k} is invalid`);
      }
      FakeAccount.apply(region.values, rec.params);
      return wrap('<return>true</return>');
    }
    throw new QueryError('InvalidAction', `The action ${rec.action} is not valid for this web service.`);
  }

  private cloudformation(rec: RecordedRequest, requestId: string): string {
    if (rec.action !== 'DescribeStackResource') throw new QueryError('InvalidAction', `Unknown action ${rec.action}`);
    const physical = this.stackResources.get(rec.params.LogicalResourceId);
    if (physical === undefined) {
      throw new QueryError('ValidationError', `Resource ${rec.params.LogicalResourceId} does not exist for stack ${rec.params.StackName}`);
    }
    return (
      `<DescribeStackResourceResponse xmlns="${CFN_NS}"><DescribeStackResourceResult><StackResourceDetail>` +
      `<StackId>${esc(rec.params.StackName)}</StackId><StackName>S</StackName><LogicalResourceId>${esc(rec.params.LogicalResourceId)}</LogicalResourceId>` +
      `<PhysicalResourceId>${esc(physical)}</PhysicalResourceId><ResourceType>Custom::InstanceMetadataDefaults</ResourceType>` +
      '<LastUpdatedTimestamp>2026-11-26T06:00:00.000Z</LastUpdatedTimestamp><ResourceStatus>DELETE_IN_PROGRESS</ResourceStatus>' +
      `</StackResourceDetail></DescribeStackResourceResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></DescribeStackResourceResponse>`
    );
  }
}
