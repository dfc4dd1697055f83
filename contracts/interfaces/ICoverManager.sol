// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IParkedPayments} from "./IParkedPayments.sol";
import {IPolicyDescriptor} from "./IPolicyDescriptor.sol";

/// @notice A purchase order. `maxPremium` bounds everything the buyer pays (premium + protocol fee + commission).
struct BuyCoverParams {
    uint256 productId;
    address vault;
    uint256 amount;
    uint256 period;
    uint256 maxPremium;
    uint256 deadline;
    address receiver;
    uint256 commissionBps;
    address commissionRecipient;
}

/// @notice A cover policy. The right to its payouts goes with the ERC-721 token of the same id.
struct Policy {
    uint32 productId;
    address vault;
    uint128 amount;
    uint128 claimed;
    uint32 start;
    uint32 end;
}

/// @title ICoverManager
/// @notice Sells cover: prices it on-chain against a vault's curve, collects the premium, mints the policy NFT.
interface ICoverManager is IParkedPayments {
    /// @notice The product is closed for sale.
    error ProductNotActive(uint256 productId);
    /// @notice The vault is not listed by governance.
    error VaultNotListed(address vault);
    /// @notice `period` outside the product's [minPeriod, maxPeriod].
    error InvalidCoverPeriod(uint256 period, uint256 minPeriod, uint256 maxPeriod);
    /// @notice `amount` is zero or above the product's `maxCoverPerPolicy`.
    error InvalidCoverAmount(uint256 amount, uint256 maxCoverPerPolicy);
    /// @notice Premium, fee and commission add up to more than the buyer's `maxPremium`.
    error PremiumAboveMax(uint256 totalCost, uint256 maxPremium);
    /// @notice The order's `deadline` has passed.
    error DeadlineExpired(uint256 deadline, uint256 timestamp);
    /// @notice `commissionBps` above MAX_COMMISSION_BPS, or a commission without a recipient.
    error InvalidCommission(uint256 commissionBps, address commissionRecipient);
    /// @notice The policy NFT would go to the zero address.
    error InvalidReceiver(address receiver);
    /// @notice `protocolFeeBps` above MAX_PROTOCOL_FEE_BPS.
    error InvalidProtocolFee(uint256 protocolFeeBps);
    /// @notice The zero address as treasury.
    error InvalidTreasury(address treasury);
    /// @notice A policy id never minted.
    error UnknownPolicy(uint256 policyId);
    /// @notice No cover is sold on a product while an incident on it is being decided.
    error IncidentPending(uint256 productId);
    /// @notice A parametric product with no armed trigger (never set, or fired and not re-armed) does not sell.
    error TriggerNotArmed(uint256 productId);
    /// @notice A payout above the policy's remaining cover.
    error ClaimExceedsCover(uint256 policyId, uint256 amount, uint256 remaining);
    /// @notice A descriptor address with no code (the zero address, which turns metadata off, is allowed).
    error InvalidDescriptor(address descriptor);
    /// @notice Only the registry's claims module may pay claims.
    error NotClaimsModule(address caller);
    /// @notice A discretionary claim on the policy is still being decided.
    error ClaimAlreadyOpen(uint256 policyId, uint256 claimId);
    /// @notice No discretionary claim is open on the policy.
    error NoOpenClaim(uint256 policyId);
    /// @notice A claim id must be non-zero and fit 40 bits.
    error InvalidClaimId(uint256 claimId);
    /// @notice Ether sent with an ERC-721 call (the standard declares them payable); it would be stuck here.
    error EtherNotAccepted(uint256 value);

    /// @notice Cover was bought; `totalCost = premium + protocolFee + commission` left the buyer.
    event CoverBought(
        uint256 indexed policyId,
        uint256 indexed productId,
        address indexed vault,
        address buyer,
        address receiver,
        uint256 amount,
        uint256 premium,
        uint256 protocolFee,
        uint256 commission,
        address commissionRecipient,
        uint256 start,
        uint256 end
    );
    /// @notice A claims module paid `amount` on the policy; `claimed` is its new total.
    event PolicyClaimed(uint256 indexed policyId, uint256 amount, uint256 claimed);
    /// @notice The treasury changed.
    event TreasurySet(address indexed treasury);
    /// @notice The protocol fee changed.
    event ProtocolFeeSet(uint256 protocolFeeBps);
    /// @notice The policy metadata renderer changed (zero: `tokenURI` returns an empty string).
    event DescriptorSet(address indexed descriptor);
    /// @notice ERC-4906: the policy's metadata changed (a claim payout changed its `claimed` and maybe its status).
    event MetadataUpdate(uint256 _tokenId);
    /// @notice ERC-4906: the metadata of every policy in `[_fromTokenId, _toTokenId]` changed (a new descriptor).
    event BatchMetadataUpdate(uint256 _fromTokenId, uint256 _toTokenId);

    /// @notice Buys cover, paid by the caller, minting the policy NFT to `params.receiver`. The premium and the
    /// protocol fee go to the vault in one transfer: the vault books the premium, and the fee waits outside its books
    /// until anyone calls the vault's `sweepProtocolFees`, which sends it to the treasury. The commission goes to its
    /// recipient (parked here if the token refuses it).
    /// @return policyId The new policy's id (and NFT token id), counting from 1.
    function buyCover(BuyCoverParams calldata params) external returns (uint256 policyId);

    /// @notice What `buyCover` would charge now, before any commission.
    /// @return premium The vault's premium, rounded up.
    /// @return protocolFee The treasury's fee on top, rounded up.
    function quotePremium(uint256 productId, address vault, uint256 amount, uint256 period)
        external
        view
        returns (uint256 premium, uint256 protocolFee);

    /// @notice The policy, reverting `UnknownPolicy` for an id never minted.
    function getPolicy(uint256 policyId) external view returns (Policy memory);

    /// @notice The policy and the current owner of its token (who its payouts go to), in one call; reverts like
    /// `getPolicy`.
    function getPolicyAndOwner(uint256 policyId) external view returns (Policy memory policy, address owner);

    /// @notice Receives protocol fees (swept from the vaults) and the burned share of lost bonds.
    function treasury() external view returns (address);

    /// @notice The protocol fee on premiums, in basis points.
    function protocolFeeBps() external view returns (uint256);

    /// @notice Number of policies sold; ids run from 1 to this.
    function policyCount() external view returns (uint256);

    /// @notice Pays `amount` of a claim on the policy to its current owner, from the policy's vault, and records it
    /// against the policy's cover (`PolicyClaimed`, ERC-4906 `MetadataUpdate`). The vault releases `releasedReserve`
    /// of the product's reserve and frees the policy's cover from the expiry bucket the sale booked it in (see
    /// `IUnderwriterVault.payClaim`, which only this contract may call). Only the registry's claims module
    /// (`NotClaimsModule` otherwise, see `IProductRegistry.claimsModule`). The claims module thus pays nobody
    /// but the holder of a policy, never beyond its cover, only from the vault that sold it, and frees exactly the
    /// cover it sold; nothing is recorded without being paid.
    function payClaim(uint256 policyId, uint256 amount, uint256 releasedReserve) external;

    /// @notice Marks `claimId` as the discretionary claim being decided on the policy and returns the policy and its
    /// current owner, for the claims module's filing checks. One claim at a time per policy (`ClaimAlreadyOpen`
    /// otherwise); reverts `UnknownPolicy` for an id never minted, `InvalidClaimId` for 0 or an id past 40 bits. Only
    /// the registry's claims module (`NotClaimsModule`).
    /// @dev The mark shares the policy's own slot: filing and settling rewrite it rather than create one.
    function openClaim(uint256 policyId, uint256 claimId) external returns (Policy memory policy, address owner);

    /// @notice Settles the policy's side of the claim open on it (`NoOpenClaim` if none) and frees the policy for its
    /// next claim. What it pays is decided now: `approved` (0 for a rejected claim), capped at the cover left (incident
    /// payouts may have used some since filing) and, where the claim's `releasedReserve` falls short, at the vault's
    /// free capital plus that reserve. A non-zero payout is paid as `payClaim` pays; otherwise the vault only releases
    /// `releasedReserve` of the product's reserve. Only the registry's claims module.
    /// @return paid What the policy's owner was paid (possibly queued by the vault's circuit breaker).
    /// @return receiver The policy's owner.
    /// @return vault The policy's vault.
    function closeClaim(uint256 policyId, uint256 approved, uint256 releasedReserve)
        external
        returns (uint256 paid, address receiver, address vault);

    /// @notice The discretionary claim being decided on the policy, or 0.
    function openClaimOf(uint256 policyId) external view returns (uint256);

    /// @notice The contract rendering each policy's `tokenURI` (JSON + SVG); zero while metadata is off.
    function descriptor() external view returns (IPolicyDescriptor);

    /// @notice Sets the policy metadata renderer (zero turns metadata off); emits `DescriptorSet` and an ERC-4906
    /// `BatchMetadataUpdate` over every id. Admin role.
    function setDescriptor(address descriptor) external;

    /// @notice Sets the fee on premiums, collected for the treasury. Admin role.
    function setProtocolFee(uint256 protocolFeeBps) external;

    /// @notice Sets the address receiving protocol fees (at the vaults' next sweep) and burned bonds. Admin role.
    function setTreasury(address treasury) external;

    /// @notice Stops sales. Guardian role.
    function pause() external;

    /// @notice Resumes sales. Guardian role.
    function unpause() external;
}
