/**
 * In-memory account-level instance metadata defaults per Region, for handler tests.
 * Absent fields mean "no preference", as GetInstanceMetadataDefaults reports them.
 */
export interface FakeValues {
  HttpTokens?: string;
  HttpPutResponseHopLimit?: number;
  HttpEndpoint?: string;
  InstanceMetadataTags?: string;
  HttpTokensEnforced?: string;
}

export interface FakeRegion {
  values: FakeValues;
  managedBy?: string;
  managedExceptionMessage?: string;
  /** Error to answer Modify with: `[code, message]`. */
  failModify?: [string, string];
  /** Error to answer Get with. */
  failGet?: [string, string];
  /** Answer this many requests with RequestLimitExceeded first. */
  throttle?: number;
  optInStatus?: string;
}

export class FakeAccount {
  /** Apply a Modify the way EC2 does: `no-preference` / -1 clear a field. */
  public static apply(values: FakeValues, params: Record<string, string | number>): void {
    for (const [k, v] of Object.entries(params)) {
      const key = k as keyof FakeValues;
      if (v === 'no-preference' || v === -1 || v === '-1') {
        delete values[key];
      } else if (key === 'HttpPutResponseHopLimit') {
        values[key] = Number(v);
      } else {
        (values as Record<string, string>)[key] = String(v);
      }
    }
  }
  public readonly regions = new Map<string, FakeRegion>();
  /** Every Modify request: region and the exact parameters. */
  public readonly modifies: Array<{ region: string; params: Record<string, string> }> = [];
  public readonly gets: string[] = [];

  public region(name: string, init: Partial<FakeRegion> = {}): FakeRegion {
    const r: FakeRegion = { values: {}, ...init };
    this.regions.set(name, r);
    return r;
  }

  public values(name: string): FakeValues {
    return this.regions.get(name)!.values;
  }


}
